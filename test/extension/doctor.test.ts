// The doctor end to end: the real code-server, the private dockerd and the stand-in tensorflow/serving image, which
// prints TF Serving's own messages in the situations that cause them. Each case: the diagnosis under the container
// in the Serving view, the notification with its fix button, and (where there is one) the fix applied by that button.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, eventually, freePort, labelsOf } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { DoctorNotice } from '../../src/vscode/doctor/doctor';
import type { CauseId } from '../../src/core/doctor/diagnosis';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { defaultServingSpec, type ServingSpec } from '../../src/core/serving/servingSpec';
import { ProtobufReader } from '../../src/core/model/protobufReader';
import { ProtobufWriter } from '../../src/core/model/protobufWriter';

const MODEL = 'saved_model_half_plus_two_cpu';

/** saved_model.pb with one more node in its first meta graph's graph_def (fields: meta_graphs 2, graph_def 2, node 1). */
function withExtraOp(pb: Uint8Array, op: string): Uint8Array {
  const r = new ProtobufReader(pb);
  const w = new ProtobufWriter();
  let added = false;
  while (!r.done) {
    const start = r.offset;
    const tag = r.readTag();
    if (tag.field === 2 && tag.wireType === 2 && !added) {
      const metaGraph = r.readBytes();
      const extra = new ProtobufWriter().message(2, (g) => g.message(1, (n) => n.string(1, 'tokenize').string(2, op))).finish();
      w.bytes(2, Uint8Array.from([...metaGraph, ...extra]));
      added = true;
    } else {
      r.skipField(tag);
      w.raw(pb.subarray(start, r.offset));
    }
  }
  return w.finish();
}

describe('Doctor on the real Docker engine', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let models: string;
  const prefix = `tfs-doctor-${process.pid}`;

  before(async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    api = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
    models = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    models = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, models);
  });

  after(async () => {
    const engine = await api.servingState.engine();
    for (const c of await engine.docker.listContainers({ all: true })) {
      if (c.Names.some((n) => n.startsWith(`/${prefix}`))) await engine.remove(c.Id, true).catch(() => undefined);
    }
  });

  /** A copy of a test model in a fresh folder, shaped by `shape` (rename, remove, add files). */
  function modelCopy(shape: (dir: string) => void = () => undefined): string {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfs-doctor-')), 'hpt');
    fs.cpSync(path.join(models, MODEL), dir, { recursive: true });
    fs.chmodSync(path.dirname(dir), 0o755);
    shape(dir);
    return dir;
  }

  /** Starts a container the way a hand-written `docker run` would (no preflight), with `extraArgs` last. */
  async function serve(name: string, modelDir: string, over: Partial<ServingSpec> = {}, extraArgs: string[] = []): Promise<string> {
    const spec = defaultServingSpec({
      modelName: 'hpt', source: { kind: 'local', modelDir }, configDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tfs-doctor-cfg-')),
      restPort: await freePort(), grpcPort: await freePort(), containerName: `${prefix}-${name}`, monitoring: false, ...over,
    });
    const plan = containerCreateBody(spec);
    plan.create.Cmd.push(...extraArgs);
    const started = await (await api.servingState.engine()).createAndStart(plan, { pull: false });
    await api.servingState.reload();
    return started.name;
  }

  const noticeOf = (container: string | undefined, id: CauseId, timeoutMs = 40_000) => eventually(async () =>
    api.doctor.notices.find((n) => n.diagnosis.id === id && (container === undefined || n.containerName === container)), timeoutMs, `a "${id}" notification${container ? ` for ${container}` : ''}`);

  /** The diagnosis shows under the container, with its cause, fix and TF Serving's line as children. */
  async function inServingView(container: string, notice: DoctorNotice): Promise<string[]> {
    return eventually(async () => {
      const node = await childByLabel(api.serving, undefined, container);
      const d = await childByLabel(api.serving, node, notice.diagnosis.title);
      const item = await api.serving.getTreeItem(d);
      assert.strictEqual(item.contextValue, notice.diagnosis.action ? 'diagnosis.fixable' : 'diagnosis');
      const lines = await labelsOf(api.serving, d);
      assert.ok(lines.some((l) => l === `TF Serving said: ${notice.diagnosis.evidence}`), lines.join('\n'));
      return lines;
    }, 20_000, `the diagnosis under ${container} in the Serving view`);
  }

  const versionState = (container: string) => eventually(async () => {
    const c = api.servingState.containers.find((x) => x.name === container && x.state === 'running');
    const s = c && api.servingState.statuses.get(c.id);
    return s?.versions?.find((v) => v.state === 'AVAILABLE')?.version;
  }, 40_000, `an AVAILABLE version in ${container}`);

  it('1. base path at a version folder: "No versions of servable" → Serve the model folder (one click)', async () => {
    const dir = modelCopy();
    const name = await serve('versiondir', path.join(dir, '00000123'));
    const notice = await noticeOf(name, 'no-versions');
    assert.match(notice.diagnosis.evidence, /^No versions of servable hpt found under base path \/models\/hpt\. Did you forget to name your leaf directory as a number \(eg\. '\/1\/'\)\?$/);
    assert.match(notice.diagnosis.cause, /is a version folder/);
    assert.deepStrictEqual(notice.buttons, [`Serve ${dir}`, 'Show Diagnosis']);
    await inServingView(name, notice);
    await notice.run(`Serve ${dir}`);
    assert.strictEqual(await versionState(name), '123');
  });

  it('1. non-numeric version folder (v1): Rename v1 to 1 (one click), and the server loads it at its next poll', async () => {
    const dir = modelCopy((d) => fs.renameSync(path.join(d, '00000123'), path.join(d, 'v1')));
    const name = await serve('v1', dir);
    const notice = await noticeOf(name, 'no-versions');
    assert.match(notice.diagnosis.cause, /"v1" is not/);
    assert.deepStrictEqual(notice.buttons, ['Rename v1 to 1', 'Show Diagnosis']);
    await inServingView(name, notice);
    // The button asks first (it renames the user's folder); the command takes the confirmation as the test's answer.
    const c = api.servingState.containers.find((x) => x.name === name)!;
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.applyDoctorFix', { containerId: c.id, cause: 'no-versions' }, true), true);
    assert.ok(fs.existsSync(path.join(dir, '1', 'saved_model.pb')));
    assert.strictEqual(await versionState(name), '1');
  });

  it('1. a checkpoint instead of a SavedModel: says so and how to export', async () => {
    const dir = modelCopy((d) => {
      for (const v of fs.readdirSync(d)) fs.rmSync(path.join(d, v), { recursive: true });
      for (const f of ['checkpoint', 'ckpt-1.index', 'ckpt-1.data-00000-of-00001']) fs.writeFileSync(path.join(d, f), '');
    });
    const name = await serve('ckpt', dir);
    const notice = await noticeOf(name, 'no-versions');
    assert.match(notice.diagnosis.cause, /training checkpoint \(checkpoint, ckpt-1\.data-00000-of-00001, ckpt-1\.index\)/);
    assert.deepStrictEqual(notice.buttons, ['Show Diagnosis']);
    await inServingView(name, notice);
  });

  it('2. base path missing: "Could not find base path" names what is mounted instead', async () => {
    const name = await serve('missing', modelCopy(), {}, ['--model_base_path=/models/elsewhere']);
    const notice = await noticeOf(name, 'base-path-missing');
    assert.strictEqual(notice.diagnosis.evidence, 'Could not find base path /models/elsewhere for servable hpt with error NOT_FOUND: /models/elsewhere not found');
    assert.match(notice.diagnosis.cause, /Nothing is mounted at \/models\/elsewhere \(mounts: .*\/models\/hpt/);
    await inServingView(name, notice);
  });

  it('2. a hand-written docker run whose MODEL_NAME is not the mounted folder → Re-create with MODEL_NAME=hpt (one click)', async () => {
    const engine = await api.servingState.engine();
    const root = path.dirname(modelCopy());
    const restPort = await freePort();
    // What `docker run -v $PWD/models:/models -p 127.0.0.1:P:8501 tensorflow/serving` does: MODEL_NAME defaults to "model".
    const created = await engine.docker.createContainer({
      name: `${prefix}-byhand`, Image: 'tensorflow/serving:latest', ExposedPorts: { '8501/tcp': {} },
      HostConfig: { Init: true, Mounts: [{ Type: 'bind', Source: root, Target: '/models', ReadOnly: true }], PortBindings: { '8501/tcp': [{ HostIp: '127.0.0.1', HostPort: String(restPort) }] } },
    });
    await created.start();
    await api.servingState.reload();
    const name = `${prefix}-byhand`;
    const notice = await noticeOf(name, 'base-path-missing');
    assert.strictEqual(notice.diagnosis.evidence, 'Could not find base path /models/model for servable model with error NOT_FOUND: /models/model not found');
    assert.match(notice.diagnosis.cause, /MODEL_NAME is "model" but \/models \(from .*\) holds hpt/);
    await inServingView(name, notice);
    await notice.run('Re-create with MODEL_NAME=hpt');
    const { TfServingClient } = await import('../../src/core/serving/tfServingClient');
    await eventually(async () => ((await new TfServingClient(`http://127.0.0.1:${restPort}`).isAvailable('hpt')) ? true : undefined), 30_000, 'the re-created server serving hpt');
  });

  it('3. s3:// on a stock image: "File system scheme \'s3\' not implemented" → re-create with 2.6.0 (one click)', async () => {
    const name = await serve('s3', modelCopy(), {}, ['--model_base_path=s3://tfss-bucket/models/hpt']);
    const notice = await noticeOf(name, 's3-not-implemented');
    assert.strictEqual(notice.diagnosis.evidence, "File system scheme 's3' not implemented (file: 's3://tfss-bucket/models/hpt')");
    assert.match(notice.diagnosis.fix, /mirror/);
    await inServingView(name, notice);
    await notice.run('Re-create with tensorflow/serving:2.6.0');
    const again = await eventually(async () => api.servingState.containers.find((c) => c.name === name && c.image === 'tensorflow/serving:2.6.0'), 20_000, 'the container on 2.6.0');
    assert.ok(again);
  });

  it('4. an op the stock image lacks: "Op type not registered" names the op and its library', async () => {
    const dir = modelCopy((d) => {
      const pb = path.join(d, '00000123', 'saved_model.pb');
      fs.writeFileSync(pb, withExtraOp(fs.readFileSync(pb), 'SentencepieceOp'));
    });
    const name = await serve('op', dir);
    const notice = await noticeOf(name, 'op-not-registered');
    assert.match(notice.diagnosis.evidence, /^Op type not registered 'SentencepieceOp' in binary running on \S+ Make sure the Op and Kernel are registered/);
    assert.match(notice.diagnosis.cause, /SentencePiece .* stock tensorflow\/serving image does not include it/);
    await inServingView(name, notice);
  });

  it('5. GPU without an NVIDIA runtime (the engine\'s own error) → Start on CPU (one click)', async () => {
    const model = await childByLabel(api.models, await childByLabel(api.models, undefined, models), MODEL);
    const name = `${prefix}-gpu`;
    const choices = { device: 'gpu' as const, restPort: await freePort(), grpcPort: await freePort(), monitoring: false };
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.startServer', model, { choices, containerName: name }), undefined);
    const notice = await noticeOf(undefined, 'gpu-no-runtime');
    assert.match(notice.diagnosis.evidence, /could not select device driver "nvidia" with capabilities: \[\[gpu\]\]/);
    assert.deepStrictEqual(notice.buttons, ['Start on CPU', 'Show Diagnosis']);
    const started = await notice.run('Start on CPU') as { name: string } | undefined;
    assert.strictEqual(started?.name, name);
    assert.strictEqual(await versionState(name), '123');
  });

  describe('requests to a healthy server', () => {
    let name: string;
    before(async () => {
      name = await serve('healthy', path.join(models, MODEL));
      await versionState(name);
    });
    const send = (body: unknown) => vscode.commands.executeCommand<{ error?: string; response?: unknown }>('tfServing.sendTestRequest', undefined, { containerId: name, body });

    it('6. unknown signature: lists the signatures the model has and resends with serving_default (one click)', async () => {
      const failed = await send({ signature_name: 'predict_x', instances: [1.0] });
      assert.strictEqual(failed.error, 'Serving signature name: "predict_x" not found in signature def');
      const notice = await noticeOf(name, 'signature-not-found');
      assert.match(notice.diagnosis.cause, /serving_default/);
      assert.match(notice.diagnosis.cause, /classify_x_to_y/);
      const fixed = await notice.run('Send with "serving_default"') as { response?: unknown };
      assert.deepStrictEqual(fixed.response, { predictions: [2.5] });
    });

    it('7. REST payloads: missing named input, both keys, URL-safe base64, b64 wrapping — each with the corrected request', async () => {
      const cases: [unknown, RegExp, unknown][] = [
        [{ inputs: { input: [1.0, 2.0] } }, /^Missing named input: x in 'inputs' object\.$/, { inputs: { x: [1.0, 2.0] } }],
        [{ instances: [1.0], inputs: [1.0] }, /Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist $/, { instances: [1.0] }],
        [{ signature_name: 'classify_x_to_y', instances: [{ b64: 'CgA-_w' }] }, /Unable to base64 decode$/, { signature_name: 'classify_x_to_y', instances: [{ b64: 'CgA+/w==' }] }],
        [{ signature_name: 'classify_x_to_y', inputs: { inputs: { b64: ['CgA='] } } }, /not formatted correctly for base64 data$/, { signature_name: 'classify_x_to_y', inputs: { inputs: [{ b64: 'CgA=' }] } }],
      ];
      for (const [body, said, corrected] of cases) {
        const before = api.doctor.notices.length;
        const failed = await send(body);
        assert.match(failed.error ?? '', said);
        const notice = await eventually(async () => api.doctor.notices.slice(before).find((n) => n.diagnosis.id === 'rest-payload'), 10_000, `a payload notice for ${JSON.stringify(body)}`);
        assert.deepStrictEqual(notice.diagnosis.correctedRequest, corrected);
        assert.deepStrictEqual(notice.buttons, ['Send the corrected request', 'Show Diagnosis']);
      }
      const fixed = await api.doctor.notices.filter((n) => n.diagnosis.id === 'rest-payload')[0].run('Send the corrected request') as { response?: unknown };
      assert.deepStrictEqual(fixed.response, { outputs: [2.5, 3.0] });
    });

    it('8. metrics 404 without a monitoring config → Restart with monitoring (one click)', async () => {
      const c = api.servingState.containers.find((x) => x.name === name)!;
      const found = await vscode.commands.executeCommand<{ id: string }[]>('tfServing.diagnoseServer', { containerId: c.id });
      assert.deepStrictEqual(found.map((d) => d.id), ['metrics-not-enabled']);
      const notice = await noticeOf(name, 'metrics-not-enabled');
      assert.strictEqual(notice.diagnosis.evidence, 'GET /monitoring/prometheus/metrics answered HTTP 404');
      const started = await notice.run('Restart with monitoring') as { metricsUrl?: string };
      assert.ok(started?.metricsUrl, 'the re-created server has a metrics URL');
      const page = await (await fetch(started.metricsUrl)).text();
      assert.match(page, /:tensorflow:cc:saved_model:load_attempt_count/);
    });
  });

  it('10. a label on a version that is not AVAILABLE → restart with --allow_version_labels_for_unavailable_models (one click)', async () => {
    const name = await serve('label', modelCopy(), { versions: { policy: { kind: 'specific', versions: [123] }, labels: { canary: 124 } } });
    const notice = await noticeOf(name, 'label-unavailable');
    assert.strictEqual(notice.diagnosis.evidence, 'Request to assign label to version 124 of model hpt, which is not currently available for inference');
    await inServingView(name, notice);
    await notice.run('Restart with --allow_version_labels_for_unavailable_models');
    assert.strictEqual(await versionState(name), '123');
  });
});
