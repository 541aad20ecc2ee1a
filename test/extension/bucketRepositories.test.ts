// S3 and GCS repositories in the Models view, against the local S3 server and GCS emulator the harness started.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, eventually, labelsOf, freePort } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/trees/treeNode';

const env = (name: string) => {
  const v = process.env[name];
  assert.ok(v, `${name} must be set by the test harness`);
  return v;
};

describe('Bucket repositories (local S3 server and GCS emulator)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const s3Uri = 's3://models';
  const gsUri = 'gs://models';

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand('tfServing.addRepository', { uri: s3Uri, endpoint: env('TFS_TEST_S3_ENDPOINT'), region: 'us-east-1' });
    await vscode.commands.executeCommand('tfServing.addRepository', { uri: gsUri, endpoint: env('TFS_TEST_GCS_ENDPOINT') });
  });

  after(async () => {
    for (const uri of [s3Uri, gsUri, 's3://no-such-bucket']) {
      const roots = (await api.models.getChildren(undefined)) ?? [];
      for (const r of roots) if ((await api.models.getTreeItem(r)).label === uri) await vscode.commands.executeCommand('tfServing.removeRepository', r);
    }
  });

  const repoNode = () => eventually(async () => childByLabel(api.models, undefined, s3Uri), 10_000, 'the S3 repository');

  it('shows a wrong secret as an error node naming the repository, then lists models once the right key is set', async () => {
    let repo = await repoNode();
    await vscode.commands.executeCommand('tfServing.setRepositoryCredentials', repo, { accessKeyId: env('TFS_TEST_S3_ACCESS_KEY'), secretAccessKey: 'wrong-secret' });
    repo = await repoNode();
    const [err] = (await api.models.getChildren(repo))!;
    const errItem = await api.models.getTreeItem(err);
    assert.strictEqual(errItem.contextValue, 'message.error');
    assert.match(String(errItem.label), /s3:\/\/models/);
    assert.match(String(errItem.label), /secret|signature/i);
    assert.doesNotMatch(String(errItem.label), /wrong-secret/, 'the secret never appears in messages');

    await vscode.commands.executeCommand('tfServing.setRepositoryCredentials', repo, { accessKeyId: env('TFS_TEST_S3_ACCESS_KEY'), secretAccessKey: env('TFS_TEST_S3_SECRET') });
    repo = await repoNode();
    assert.deepStrictEqual((await labelsOf(api.models, repo)).sort(), ['saved_model_half_plus_two_2_versions', 'saved_model_half_plus_two_cpu', 'saved_model_half_plus_two_tflite']);
    // The key lives in SecretStorage, never in settings.
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('tfServing').get('modelRepositories')).includes(env('TFS_TEST_S3_SECRET')));
  });

  it('lists S3 versions with the default marked, checks the others on expand, and shows signatures', async () => {
    const model = await childByLabel(api.models, await repoNode(), 'saved_model_half_plus_two_2_versions');
    assert.deepStrictEqual(await labelsOf(api.models, model), ['124', '123']);
    const [v124, v123] = (await api.models.getChildren(model))!;
    assert.match(String((await api.models.getTreeItem(v124)).description), /^00000124 · SavedModel · 9\.9 KB · served by default$/, 'bucket versions show their size');
    assert.match(String((await api.models.getTreeItem(v123)).description), /expand to check/);
    const tagSet = await childByLabel(api.models, v123, 'Tag-set: serve');
    assert.ok((await labelsOf(api.models, tagSet)).includes('serving_default'));
    // Once checked, the version shows its size too (from the same one listing that judged its validity).
    assert.match(String((await api.models.getTreeItem(v123)).description), /^00000123 · SavedModel · \d+(\.\d)? KB$/);
    const files = await childByLabel(api.models, v123, 'Files');
    assert.deepStrictEqual((await labelsOf(api.models, files)).sort(), ['assets', 'saved_model.pb', 'variables']);
  });

  it('measures what TF Serving polling this model costs', async () => {
    const model = await childByLabel(api.models, await repoNode(), 'saved_model_half_plus_two_2_versions');
    const report = await vscode.commands.executeCommand<{ requestsPerPoll: number; bytesPerPoll: number; rows: { pollSeconds: number; requestsPerHour: number }[] }>('tfServing.showPollingCost', model, { quiet: true });
    assert.ok(report);
    assert.strictEqual(report.requestsPerPoll, 1);
    assert.ok(report.bytesPerPoll > 200, `${report.bytesPerPoll} bytes`);
    assert.deepStrictEqual(report.rows.map((r) => [r.pollSeconds, r.requestsPerHour]), [[1, 3600], [120, 30]]);
  });

  it('publishes a SavedModel to S3 as the next version without leaving a staging prefix behind', async () => {
    let model = await childByLabel(api.models, await repoNode(), 'saved_model_half_plus_two_cpu');
    const entry = vscode.workspace.getConfiguration('tfServing').get<(string | { uri: string })[]>('modelRepositories', [])[0] as string;
    const source = path.join(path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry), 'saved_model_half_plus_two_cpu', '00000123');
    const result = await vscode.commands.executeCommand<{ version: number; files: number }>('tfServing.publishVersion', model, source);
    assert.strictEqual(result?.version, 124);
    assert.strictEqual(result?.files, 4);
    model = await childByLabel(api.models, await repoNode(), 'saved_model_half_plus_two_cpu');
    assert.deepStrictEqual(await labelsOf(api.models, model), ['124', '123']);
    const store = await (await repoNode() as unknown as { openStore(): Promise<{ listChildren(l: unknown): Promise<{ items: { name: string }[] }> }> }).openStore();
    const level = await store.listChildren((model as unknown as { location: unknown }).location);
    assert.deepStrictEqual(level.items.map((i) => i.name).sort(), ['00000123', '124']);
  });

  it('serves an S3 model through mirror mode on the real Docker engine and predicts', async () => {
    const model = await childByLabel(api.models, await repoNode(), 'saved_model_half_plus_two_2_versions');
    const name = `tfs-s3-mirror-${process.pid}`;
    const dryRun = await vscode.commands.executeCommand<string>('tfServing.copyDockerRun', model, { choices: { s3Mode: 's3-pinned', restPort: 18601, grpcPort: 18600 }, containerName: name });
    assert.match(dryRun, /tensorflow\/serving:2\.6\.0/, 'reading s3:// directly pins the image to 2.6');
    assert.match(dryRun, /AWS_SECRET_ACCESS_KEY=\*+/, 'keys are masked');
    assert.ok(!dryRun.includes(env('TFS_TEST_S3_SECRET')));
    try {
      const started = await vscode.commands.executeCommand<{ restUrl: string }>('tfServing.startServer', model, { choices: { s3Mode: 's3-mirror', restPort: await freePort(), grpcPort: await freePort() }, containerName: name });
      assert.ok(started, 'mirror-mode server started');
      const result = await vscode.commands.executeCommand<{ response: { predictions: number[] } }>('tfServing.sendTestRequest', undefined, { containerId: name, body: { instances: [1.0, 2.0, 5.0] } });
      assert.deepStrictEqual(result.response.predictions, [2.5, 3.0, 4.5]);
    } finally {
      await vscode.commands.executeCommand('tfServing.removeServer', { containerId: name }, true);
    }
  });

  it('expands a GCS repository down to signatures', async () => {
    const repo = await eventually(async () => childByLabel(api.models, undefined, gsUri), 10_000, 'the GCS repository');
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_tflite');
    const version = await childByLabel(api.models, model, '123');
    assert.match(String((await api.models.getTreeItem(version)).description), /^00000123 · TFLite · 768 B · served by default$/);
    const contents = await labelsOf(api.models, version);
    assert.ok(contents.includes('Inputs'), contents.join(' | '));
  });

  it('shows a missing bucket as an error node and keeps the other repositories working', async () => {
    await vscode.commands.executeCommand('tfServing.addRepository', { uri: 's3://no-such-bucket', endpoint: env('TFS_TEST_S3_ENDPOINT'), region: 'us-east-1' });
    const bad: TreeNode = await eventually(async () => childByLabel(api.models, undefined, 's3://no-such-bucket'), 10_000, 'the bad repository');
    const [err] = (await api.models.getChildren(bad))!;
    const item = await api.models.getTreeItem(err);
    assert.strictEqual(item.contextValue, 'message.error');
    assert.match(String(item.label), /no-such-bucket/);
    const gcs = await childByLabel(api.models, undefined, gsUri);
    const models = await labelsOf(api.models, gcs);
    assert.strictEqual(models.length, 3, models.join(' | '));
  });
});
