// Serving through the extension's core on a real Docker engine, against the stand-in tensorflow/serving image.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { dockerRunCommand } from '../../src/core/serving/dockerRunCommand';
import { createBodyFromInspect } from '../../src/core/serving/inspectedContainer';
import { withMonitoring } from '../../src/core/serving/restartWithMonitoring';
import type { ContainerEvent } from '../../src/core/serving/dockerEngine';
import { defaultServingSpec, type ServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { buildPredictRequest, signatureInputsFromMetadata } from '../../src/core/serving/predictRequestBuilder';
import { parseLocation } from '../../src/core/location';
import { S3Mirror } from '../../src/core/serving/s3Mirror';
import { LocalModelStore } from '../../src/core/storage/localModelStore';
import { copyModel, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

describe('serving on the real Docker engine (stand-in image)', function () {
  this.timeout(60_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  afterEach(async () => removeContainers(engine(), created));

  async function serve(over: Partial<ServingSpec> & { modelDir: string }) {
    const [restPort, grpcPort] = await freePorts();
    const { modelDir, ...rest } = over;
    const spec = defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir }, configDir: tempDir('cfg'), restPort, grpcPort, ...rest });
    const started = await engine().createAndStart(containerCreateBody(spec));
    created.push(started.id);
    const client = new TfServingClient(started.restUrl);
    await engine().waitUntilReady(started.id, () => client.isAvailable(spec.modelName), 30_000);
    return { spec, started, client };
  }

  it('starts a server, waits for AVAILABLE, predicts [1, 2, 5] → [2.5, 3, 4.5], reads metrics and stops', async () => {
    const { started, client, spec } = await serve({ modelDir: copyModel('saved_model_half_plus_two_2_versions') });
    assert.strictEqual(started.restUrl, `http://127.0.0.1:${spec.restPort}`);
    const status = await client.status('hpt');
    assert.deepStrictEqual(status.value, [{ version: '124', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }]);

    const rows = await client.predict('hpt', { instances: [1.0, 2.0, 5.0] });
    assert.deepStrictEqual(rows.value, { predictions: [2.5, 3.0, 4.5] });
    assert.ok(rows.millis > 0);
    const cols = await client.predict('hpt', { inputs: { x: [[1.0], [2.0], [5.0]] } });
    assert.deepStrictEqual(cols.value, { outputs: [[2.5], [3.0], [4.5]] });

    // Metadata comes from the project's SavedModel decoder inside the stand-in; a request built from it predicts.
    const meta = await client.metadata('hpt');
    const sig = meta.value.metadata.signature_def.signature_def.serving_default;
    const inputs = signatureInputsFromMetadata(sig);
    assert.deepStrictEqual(inputs, [{ name: 'x', dtype: 'DT_FLOAT', dims: [-1, 1] }]);
    const built = buildPredictRequest(inputs, 'row');
    assert.deepStrictEqual((await client.predict('hpt', built)).value, { predictions: [[2.5]] });

    const page = (await client.metrics(started.metricsUrl!.slice(started.restUrl.length))).value;
    assert.match(page, /^:tensorflow:serving:request_count\{model_name="hpt",status="OK"\} 3$/m);
    assert.match(page, /^# TYPE :tensorflow:serving:request_latency histogram$/m);
    assert.match(page, /^:tensorflow:serving:request_latency_bucket\{model_name="hpt",API="predict",entrypoint="REST",le="\+Inf"\} 3$/m);
    assert.match(page, /^:tensorflow:cc:saved_model:load_latency\{model_path="\/models\/hpt\/00000124"\} \d+$/m);

    await engine().stop(started.id);
    const after = (await engine().listServingContainers()).find((c) => c.id === started.id);
    assert.strictEqual(after?.state, 'exited');
    await assert.rejects(client.status('hpt'));
  });

  it('serves no Prometheus page when monitoring is off', async () => {
    const { started, client } = await serve({ modelDir: copyModel('saved_model_half_plus_two_cpu'), monitoring: false });
    assert.strictEqual(started.metricsUrl, undefined);
    await assert.rejects(client.metrics('/monitoring/prometheus/metrics'), /HTTP 404/);
  });

  it('finds our containers by label and other tensorflow/serving ones by image, and reports events and logs', async () => {
    const { started } = await serve({ modelDir: copyModel('saved_model_half_plus_two_cpu'), containerName: `tfss-ours-${process.pid}` });
    const other = await engine().docker.createContainer({ Image: 'tensorflow/serving:2.17.0', Env: ['MODEL_NAME=none'], HostConfig: { Init: true } });
    created.push(other.id);
    const list = await engine().listServingContainers();
    const ours = list.find((c) => c.id === started.id);
    assert.ok(ours?.ours);
    assert.strictEqual(ours?.modelName, 'hpt');
    assert.strictEqual(ours?.state, 'running');
    assert.match(ours?.sourceUri ?? '', /^file:\/\//);
    const theirs = list.find((c) => c.id === other.id);
    assert.strictEqual(theirs?.ours, false);
    assert.strictEqual(theirs?.imageTag, '2.17.0');

    const events: ContainerEvent[] = [];
    const sub = await engine().subscribeEvents((e) => events.push(e));
    try {
      await engine().stop(started.id);
      const deadline = Date.now() + 10_000;
      while (!events.some((e) => e.id === started.id && e.action === 'die') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      sub.close();
    }
    const die = events.find((e) => e.id === started.id && e.action === 'die');
    assert.ok(die, `no die event in ${JSON.stringify(events)}`);
    assert.strictEqual(die.name, `tfss-ours-${process.pid}`);

    const logs = await engine().lastLogLines(started.id, 50);
    assert.ok(logs.some((l) => l.stream === 'stderr' && /Successfully loaded servable version \{name: hpt version: 123\}/.test(l.text)), JSON.stringify(logs));
  });

  it('picks up a new version folder at --file_system_poll_wait_seconds and unloads the old one', async () => {
    const modelDir = copyModel('saved_model_half_plus_two_cpu', { '00000123': '1' });
    const { client } = await serve({ modelDir, pollSeconds: 1 });
    assert.deepStrictEqual((await client.status('hpt')).value.map((s) => [s.version, s.state]), [['1', 'AVAILABLE']]);
    // Appear atomically, as a mirror would: copy into a hidden folder, then rename.
    fs.cpSync(path.join(modelDir, '1'), path.join(modelDir, '.2.partial'), { recursive: true });
    fs.renameSync(path.join(modelDir, '.2.partial'), path.join(modelDir, '2'));
    const deadline = Date.now() + 15_000;
    let states: string[][] = [];
    while (Date.now() < deadline) {
      states = (await client.status('hpt')).value.map((s) => [s.version, s.state]);
      if (JSON.stringify(states) === JSON.stringify([['2', 'AVAILABLE'], ['1', 'END']])) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepStrictEqual(states, [['2', 'AVAILABLE'], ['1', 'END']]);
  });

  it('serves several versions with labels through a model config file', async () => {
    const { client } = await serve({
      modelDir: copyModel('saved_model_half_plus_two_2_versions'),
      versions: { policy: { kind: 'specific', versions: [123, 124] }, labels: { stable: 123, canary: 124 } },
    });
    assert.deepStrictEqual((await client.status('hpt')).value.map((s) => [s.version, s.state]), [['124', 'AVAILABLE'], ['123', 'AVAILABLE']]);
    assert.deepStrictEqual((await client.status('hpt', { label: 'stable' })).value.map((s) => s.version), ['123']);
    assert.deepStrictEqual((await client.predict('hpt', { instances: [1.0] }, { label: 'canary' })).value, { predictions: [2.5] });
    assert.deepStrictEqual((await client.predict('hpt', { instances: [5.0] }, { version: 123 })).value, { predictions: [4.5] });
    await assert.rejects(client.predict('hpt', { instances: [1.0] }, { label: 'nope' }), /Unrecognized servable version label: nope/);
    await assert.rejects(client.status('hpt', { version: 7 }), /Could not find version 7 of model hpt/);
  });

  it('refuses a label on an unloaded version unless --allow_version_labels_for_unavailable_models', async () => {
    const modelDir = copyModel('saved_model_half_plus_two_2_versions');
    await assert.rejects(serve({ modelDir, versions: { policy: { kind: 'specific', versions: [123] }, labels: { canary: 124 } } }), (e: Error & { kind?: string; details?: { lastLogLines?: string[] } }) => {
      assert.strictEqual(e.kind, 'exited-at-start');
      assert.match(e.message, /Request to assign label to version 124 of model hpt, which is not currently available for inference/);
      return true;
    });
    const { client } = await serve({ modelDir, versions: { policy: { kind: 'specific', versions: [123] }, labels: { canary: 124 }, allowLabelsForUnavailableModels: true } });
    await assert.rejects(client.predict('hpt', { instances: [1.0] }, { label: 'canary' }), /Servable not found for request: Specific\(hpt, 124\)/);
  });

  it('accepts every option the core writes: batching, poll seconds, prefer_tflite_model, monitoring at its own path', async () => {
    const { client, started } = await serve({
      modelDir: copyModel('saved_model_half_plus_two_cpu'), pollSeconds: 2, preferTfliteModel: true, monitoringPath: '/metrics',
      batching: { maxBatchSize: 16, batchTimeoutMicros: 500, maxEnqueuedBatches: 8, numBatchThreads: 2, allowedBatchSizes: [4, 16] },
    });
    assert.strictEqual(started.metricsUrl, `${started.restUrl}/metrics`);
    assert.deepStrictEqual((await client.predict('hpt', { instances: [2.0] })).value, { predictions: [3.0] });
    assert.match((await client.metrics('/metrics')).value, /:tensorflow:serving:request_count/);
  });

  it('restarts, stops and starts again, and follows the logs with stdout and stderr apart', async () => {
    const { started, client } = await serve({ modelDir: copyModel('saved_model_half_plus_two_cpu') });
    await engine().restart(started.id, 5);
    await engine().waitUntilReady(started.id, () => client.isAvailable('hpt'), 30_000);
    // A follow ends when the container stops (the view re-attaches on the next "start" event).
    const lines: { stream: string; text: string }[] = [];
    const follow = await engine().followLogs(started.id, (l) => lines.push(l), 1000);
    try {
      const exported = () => lines.filter((l) => l.stream === 'stderr' && /Exporting HTTP\/REST API at:localhost:8501/.test(l.text)).length;
      const deadline = Date.now() + 10_000;
      while (exported() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.strictEqual(exported(), 2, JSON.stringify(lines));
    } finally {
      follow.close();
    }
    assert.deepStrictEqual((await client.predict('hpt', { instances: [5.0] })).value, { predictions: [4.5] });
    await engine().stop(started.id, 5);
    await engine().start(started.id);
    await engine().waitUntilReady(started.id, () => client.isAvailable('hpt'), 30_000);
  });

  it('mirror mode: a version published to the store reaches the running server through the mirror folder', async () => {
    // The local store stands in for the bucket here; the S3 store implements the same ModelStore interface.
    const bucket = copyModel('saved_model_half_plus_two_cpu', { '00000123': '1' });
    const mirrorDir = tempDir('mirror');
    const mirror = new S3Mirror(new LocalModelStore(), parseLocation(bucket), mirrorDir);
    try {
      assert.deepStrictEqual((await mirror.start(1)).added, [1]);
      const { client } = await serve({ modelDir: mirrorDir, pollSeconds: 1 });
      assert.deepStrictEqual((await client.status('hpt')).value.map((v) => [v.version, v.state]), [['1', 'AVAILABLE']]);
      fs.cpSync(path.join(bucket, '1'), path.join(bucket, '2'), { recursive: true });
      const deadline = Date.now() + 15_000;
      let states: string[][] = [];
      while (Date.now() < deadline) {
        states = (await client.status('hpt')).value.map((v) => [v.version, v.state]);
        if (states[0]?.[0] === '2' && states[0][1] === 'AVAILABLE') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepStrictEqual(states[0], ['2', 'AVAILABLE']);
      // No version ever failed to load: nothing half-copied was seen by the server.
      assert.ok((await client.status('hpt')).value.every((v) => v.status.error_code === 'OK'));
    } finally {
      await mirror.stop();
    }
  });

  it('"Copy as docker run" starts the same server with the real docker CLI', async () => {
    const [restPort, grpcPort] = await freePorts();
    const spec = defaultServingSpec({
      modelName: 'hpt', source: { kind: 'local', modelDir: copyModel('saved_model_half_plus_two_2_versions') }, configDir: tempDir('cfg'),
      restPort, grpcPort, containerName: `tfss-cli-run-${process.pid}`, pollSeconds: 1, versions: { labels: { stable: 124 } },
    });
    const plan = containerCreateBody(spec);
    for (const f of plan.files) fs.writeFileSync(f.path, f.content);
    const id = execFileSync('sh', ['-c', dockerRunCommand(plan.create)], { encoding: 'utf8', env: process.env }).trim();
    created.push(id);
    const client = new TfServingClient(`http://127.0.0.1:${restPort}`);
    await engine().waitUntilReady(id, () => client.isAvailable('hpt'), 30_000);
    assert.deepStrictEqual((await client.predict('hpt', { instances: [1.0, 2.0, 5.0] }, { label: 'stable' })).value, { predictions: [2.5, 3.0, 4.5] });
    const listed = (await engine().listServingContainers()).find((c) => c.id === id);
    assert.ok(listed?.ours, 'the docker run line carries our labels');
    assert.strictEqual(listed?.restPort, restPort);
    assert.strictEqual(await engine().gpuMode(), 'device-request', 'this engine has no nvidia runtime');
  });
  // Issue 12 §4: a folder name is data, never part of the command. Each name below broke the printed line before
  // (a second source=, or docker refusing the mount); the API body and the line must mount exactly that folder.
  for (const hostile of ['x,source=/etc', 'resnet,v2 "q" it\'s', 'new\nline ünï $(id)']) {
    it(`mounts ${JSON.stringify(hostile)} exactly, through the docker run line and through the API`, async () => {
      const root = tempDir('hostile');
      const modelDir = path.join(root, hostile, 'hpt');
      fs.mkdirSync(path.dirname(modelDir), { recursive: true });
      fs.cpSync(copyModel('saved_model_half_plus_two_2_versions'), modelDir, { recursive: true });
      const configDir = path.join(root, hostile, 'cfg');
      fs.mkdirSync(configDir);
      for (const via of ['cli', 'api'] as const) {
        const [restPort, grpcPort] = await freePorts();
        const spec = defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir }, configDir, restPort, grpcPort, containerName: `tfss-hostile-${via}-${process.pid}` });
        const plan = containerCreateBody(spec);
        let id: string;
        if (via === 'cli') {
          for (const f of plan.files) fs.writeFileSync(f.path, f.content);
          id = execFileSync('sh', ['-c', dockerRunCommand(plan.create)], { encoding: 'utf8', env: process.env }).trim();
        } else {
          id = (await engine().createAndStart(plan, { pull: false })).id;
        }
        created.push(id);
        const info = await engine().docker.getContainer(id).inspect();
        assert.deepStrictEqual(info.Mounts.map((m) => m.Source).sort(), [configDir, modelDir].sort(), via);
        const client = new TfServingClient(`http://127.0.0.1:${restPort}`);
        await engine().waitUntilReady(id, () => client.isAvailable('hpt'), 30_000);
        assert.strictEqual(parseLocation(info.Config.Labels['tfserving-studio.source-uri']).path, modelDir, 'the label names the folder');
      }
    });
  }
  it('inspect gives back the create body the container was made from (one function for labels and monitoring restarts)', async () => {
    const [restPort, grpcPort] = await freePorts();
    const spec = defaultServingSpec({
      modelName: 'hpt', source: { kind: 'local', modelDir: copyModel('saved_model_half_plus_two_2_versions') }, configDir: tempDir('cfg'),
      restPort, grpcPort, containerName: `tfss-inspect-${process.pid}`, pollSeconds: 3, versions: { labels: { stable: 124 } },
    });
    const plan = containerCreateBody(spec);
    const started = await engine().createAndStart(plan, { pull: false });
    created.push(started.id);
    const again = createBodyFromInspect(await engine().inspect(started.id));
    // Docker reports the image's own environment and labels merged in; re-creating with them changes nothing.
    const image = (await engine().docker.getImage(plan.create.Image).inspect()).Config;
    const imageEnv = (image.Env ?? []).filter((e: string) => !plan.create.Env.some((x) => x.split('=')[0] === e.split('=')[0]));
    assert.deepStrictEqual(again, { ...plan.create, Env: [...plan.create.Env, ...imageEnv], Labels: { ...(image.Labels ?? {}), ...plan.create.Labels } });
    const monitored = withMonitoring(await engine().inspect(started.id), '/m');
    assert.deepStrictEqual(monitored.create.Cmd, [...plan.create.Cmd.filter((a) => !a.startsWith('--monitoring_config_file')), '--monitoring_config_file=/etc/tfserving-studio/monitoring.config']);
    assert.strictEqual(monitored.create.Labels['tfserving-studio.monitoring-path'], '/m');
    assert.deepStrictEqual(monitored.create.HostConfig, plan.create.HostConfig);
  });
});
