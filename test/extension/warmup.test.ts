// "Generate Warmup Requests…" in the extension host: a local version gets assets.extra/tf_serving_warmup_requests
// (and the Models view its "warmup: N predict requests" line and checks); an S3 version is published again as a new
// version holding the file, on the local S3 server the harness started.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WarmupOutcome } from '../../src/vscode/warmup/generateWarmupCommand';
import type { TreeNode } from '../../src/vscode/trees/treeNode';
import { warmupFileBytes, writeWarmupFile } from '../../src/core/warmup/versionWarmup';
import { readTfRecords } from '../../src/core/warmup/tfRecord';
import { decodeWarmupRecord } from '../../src/core/warmup/predictionLog';
import { activateExtension, childByLabel, eventually, freePort, labelsOf } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const HALF_PLUS_TWO = path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu/00000123');

const env = (name: string) => {
  const v = process.env[name];
  assert.ok(v, `${name} must be set by the test harness`);
  return v;
};

describe('Generate Warmup Requests… (Models view)', function () {
  this.timeout(180_000);
  let root: string;
  const s3Uri = 's3://models';

  before(async () => {
    await activateExtension();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-warmup-'));
    await fs.cp(HALF_PLUS_TWO, path.join(root, 'hpt', '00000123'), { recursive: true });
    await vscode.commands.executeCommand('tfServing.addRepository', root);
  });

  after(async () => {
    const api = await activateExtension();
    for (const node of (await api.models.getChildren(undefined)) ?? []) {
      const label = (await api.models.getTreeItem(node)).label;
      if (label === root || label === s3Uri) await vscode.commands.executeCommand('tfServing.removeRepository', node);
    }
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is offered on valid SavedModel versions in every store, not on TFLite ones', () => {
    const pkg = vscode.extensions.getExtension('tfserving-studio.tfserving-studio')!.packageJSON;
    const entry = pkg.contributes.menus['view/item/context'].find((m: { command: string }) => m.command === 'tfServing.generateWarmupRequests');
    const when = /viewItem =~ \/(.*)\/$/.exec(entry.when)![1];
    const re = new RegExp(when.replace(/\\\\/g, '\\'));
    for (const ok of ['version.valid.savedmodel.local', 'version.valid.savedmodel.s3', 'version.valid.savedmodel.gs']) assert.ok(re.test(ok), ok);
    for (const no of ['version.valid.tflite.local', 'version.invalid.savedmodel.local']) assert.ok(!re.test(no), no);
    assert.strictEqual(pkg.contributes.commands.find((c: { command: string }) => c.command === 'tfServing.generateWarmupRequests')?.title, 'Generate Warmup Requests\u2026');
  });

  it('adds the file to a local version, and the version shows "warmup: N predict requests" and what is wrong with a corrupt file', async () => {
    const api = await activateExtension();
    const versionNode = async () => childByLabel(api.models, await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'hpt'), '123');
    const v = await versionNode();
    assert.strictEqual((await api.models.getTreeItem(v)).contextValue, 'version.valid.savedmodel.local');
    const out = await vscode.commands.executeCommand<WarmupOutcome>('tfServing.generateWarmupRequests', v, { signature: 'serving_default', inputs: 'generated', batchSize: 2, records: 3, confirmed: true });
    assert.ok(out.ok, JSON.stringify(out));
    assert.strictEqual(out.requests, 3);
    const file = path.join(root, 'hpt', '00000123', 'assets.extra', 'tf_serving_warmup_requests');
    assert.ok(out.added.placement === 'in-place' && out.added.file === file && !out.added.replaced, JSON.stringify(out.added));
    assert.strictEqual((await fs.stat(file)).size, out.bytes);
    const labels = await eventually(async () => {
      const l = await labelsOf(api.models, await versionNode());
      return l.includes('warmup: 3 predict requests') ? l : undefined;
    }, 15_000, 'the warmup line');
    assert.ok(labels.includes('Tag-set: serve'), labels.join(' | '));

    // A corrupted copy: the tree names the record and TF Serving's load failure.
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 9] ^= 0x40;
    await fs.writeFile(file, bytes);
    await vscode.commands.executeCommand('tfServing.refreshNode', await versionNode());
    const after = await eventually(async () => {
      const l = await labelsOf(api.models, await versionNode());
      return l.some((x) => x.startsWith('warmup: 2 predict requests — fails the load at record 2')) ? l : undefined;
    }, 15_000, 'the failing warmup line');
    assert.ok(after.some((l) => /^record 2 \(at byte \d+\) is corrupt: the CRC of its data does not match\.$/.test(l)), after.join(' | '));
    assert.ok(after.some((l) => /^TF Serving fails the load: DATA_LOSS: corrupted record at \d+\. Please verify your warmup data is in TFRecord format\.$/.test(l)), after.join(' | '));
    const failing = (await api.models.getChildren(await versionNode()))!;
    const items = await Promise.all(failing.map((n: TreeNode) => api.models.getTreeItem(n)));
    assert.strictEqual(items.find((i) => String(i.label).startsWith('warmup:'))?.contextValue, 'warmup');
  });

  it('publishes an S3 version again as the next version holding the warmup file', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('tfServing.addRepository', { uri: s3Uri, endpoint: env('TFS_TEST_S3_ENDPOINT'), region: 'us-east-1' });
    let repo = await eventually(async () => childByLabel(api.models, undefined, s3Uri), 10_000, 'the S3 repository');
    await vscode.commands.executeCommand('tfServing.setRepositoryCredentials', repo, { accessKeyId: env('TFS_TEST_S3_ACCESS_KEY'), secretAccessKey: env('TFS_TEST_S3_SECRET') });
    repo = await eventually(async () => childByLabel(api.models, undefined, s3Uri), 10_000, 'the S3 repository');
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_cpu');
    const before = await labelsOf(api.models, model);
    const source = await childByLabel(api.models, model, before[0]);
    assert.strictEqual((await api.models.getTreeItem(source)).contextValue, 'version.valid.savedmodel.s3');
    const out = await vscode.commands.executeCommand<WarmupOutcome>('tfServing.generateWarmupRequests', source, { signature: 'serving_default', inputs: 'generated', batchSize: 1, records: 4, confirmed: true });
    assert.ok(out.ok && out.added.placement === 'new-version', JSON.stringify(out));
    const published = out.added.published.version;
    assert.strictEqual(published, Number(before[0]) + 1);
    const fresh = await childByLabel(api.models, undefined, s3Uri);
    const newModel = await childByLabel(api.models, fresh, 'saved_model_half_plus_two_cpu');
    const newVersion = await eventually(async () => childByLabel(api.models, newModel, String(published)).catch(() => undefined), 15_000, `version ${published}`);
    assert.ok((await labelsOf(api.models, newVersion)).includes('warmup: 4 predict requests'));
    // The old version is unchanged: no warmup file.
    const old = await childByLabel(api.models, newModel, before[0]);
    assert.ok(!(await labelsOf(api.models, old)).some((l) => l.startsWith('warmup:')));
    await vscode.commands.executeCommand('tfServing.deleteVersion', newVersion, true);
  });

  it('the Serving view shows a version whose warmup file TF Serving would refuse as failed, with TF Serving\'s status', async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    const api = await activateExtension();
    // The Serving view polls servers only while it is visible.
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
    const versionDir = path.join(root, 'hptw', '1');
    await fs.cp(HALF_PLUS_TWO, versionDir, { recursive: true });
    const bytes = await warmupFileBytes([1, 2].map((x) => ({ modelName: 'hptw', signatureName: 'serving_default', inputs: { x: { dtype: 1, shape: [1, 1], values: [x] } } })));
    bytes[bytes.length - 9] ^= 0x40;
    await writeWarmupFile(versionDir, bytes);
    const repo = await childByLabel(api.models, undefined, root);
    await vscode.commands.executeCommand('tfServing.refreshNode', repo);
    const v1 = await eventually(async () => childByLabel(api.models, await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'hptw'), '1').catch(() => undefined), 15_000, 'hptw version 1');
    const name = `tfs-warmup-test-${process.pid}`;
    try {
      // Not awaited: the command waits for a version to become AVAILABLE, which this one never does.
      const starting = vscode.commands.executeCommand('tfServing.startServer', v1, { choices: { restPort: await freePort(), grpcPort: await freePort() }, containerName: name });
      void starting;
      // Nodes are rebuilt as the container's state changes: look it up afresh each time.
      const container = () => childByLabel(api.serving, undefined, name);
      const served = await eventually(async () => childByLabel(api.serving, await container(), 'hptw').catch(() => undefined), 60_000, 'the served model')
        .catch(async (e: Error) => { throw new Error(`${e.message}; the container shows: ${(await labelsOf(api.serving, await container()).catch(() => [])).join(' | ')}`); });
      const description = await eventually(async () => {
        const node = await childByLabel(api.serving, served, 'version 1').catch(() => undefined);
        const d = node && String((await api.serving.getTreeItem(node)).description);
        return d?.startsWith('END') ? d : undefined;
      }, 30_000, 'version 1 failed');
      assert.match(description, /^END · corrupted record at \d+\. Please verify your warmup data is in TFRecord format\.$/);
    } finally {
      await vscode.commands.executeCommand('tfServing.removeServer', { containerId: name }, true);
    }
  });

  it('replays the requests Send Test Request sent to the served model, one example per record', async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    const api = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
    await fs.cp(HALF_PLUS_TWO, path.join(root, 'hpts', '1'), { recursive: true });
    await vscode.commands.executeCommand('tfServing.refreshNode', await childByLabel(api.models, undefined, root));
    const version = () => eventually(async () => childByLabel(api.models, await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'hpts'), '1').catch(() => undefined), 15_000, 'hpts version 1');
    const name = `tfs-warmup-sent-${process.pid}`;
    try {
      const started = await vscode.commands.executeCommand<{ id: string } | undefined>('tfServing.startServer', await version(), { choices: { restPort: await freePort(), grpcPort: await freePort() }, containerName: name });
      assert.ok(started, 'the server started');
      for (const instances of [[[1.0], [2.0], [5.0]], [[7.0]]]) {
        const r = await vscode.commands.executeCommand<{ response?: unknown; error?: string }>('tfServing.sendTestRequest', undefined, { containerId: name, body: { instances } });
        assert.ok(r?.response && !r.error, JSON.stringify(r));
      }
      const out = await vscode.commands.executeCommand<WarmupOutcome>('tfServing.generateWarmupRequests', await version(), { signature: 'serving_default', inputs: 'sent', batchSize: 1, confirmed: true });
      assert.ok(out.ok, JSON.stringify(out));
      assert.strictEqual(out.requests, 4);
      const reading = readTfRecords(await fs.readFile(path.join(root, 'hpts', '1', 'assets.extra', 'tf_serving_warmup_requests')));
      const sent = await Promise.all(reading.records.map(async (r) => {
        const decoded = await decodeWarmupRecord(r.data);
        return decoded.ok ? decoded.predict?.inputs.x?.values : decoded.reason;
      }));
      assert.deepStrictEqual(sent, [[1], [2], [5], [7]]);
    } finally {
      await vscode.commands.executeCommand('tfServing.removeServer', { containerId: name }, true);
    }
  });
});
