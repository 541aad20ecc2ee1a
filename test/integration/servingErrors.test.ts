// Every failure the serving core explains, provoked on the real Docker engine.
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { DockerEngine } from '../../src/core/serving/dockerEngine';
import { DockerEngineError } from '../../src/core/serving/dockerEngineError';
import { preflight } from '../../src/core/serving/servingPreflight';
import { defaultServingSpec, type ServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { copyModel, FIXTURES, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

const kindIs = (kind: string, check?: (e: DockerEngineError) => void) => (e: unknown) => {
  assert.ok(e instanceof DockerEngineError, `expected a DockerEngineError, got ${String(e)}`);
  assert.strictEqual(e.kind, kind, e.message);
  check?.(e);
  return true;
};

describe('serving errors on the real Docker engine', function () {
  this.timeout(60_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  afterEach(async () => removeContainers(engine(), created));

  async function spec(over: Partial<ServingSpec> = {}): Promise<ServingSpec> {
    const [restPort, grpcPort] = await freePorts();
    return defaultServingSpec({
      modelName: 'hpt', source: { kind: 'local', modelDir: path.join(FIXTURES, 'saved_model_half_plus_two_cpu') },
      configDir: tempDir('cfg'), restPort, grpcPort, ...over,
    });
  }
  async function start(s: ServingSpec) {
    const started = await engine().createAndStart(containerCreateBody(s));
    created.push(started.id);
    return started;
  }
  const containerNamed = async (name: string) => (await engine().docker.listContainers({ all: true })).find((c) => c.Names.includes(`/${name}`));

  it('says Docker is unreachable, naming the socket it tried', async () => {
    await assert.rejects(DockerEngine.connect({ socketPath: '/tmp/tfss-no-such-engine.sock', description: 'unix:///tmp/tfss-no-such-engine.sock (test)' }),
      kindIs('unreachable', (e) => assert.match(e.message, /Docker is not answering at unix:\/\/\/tmp\/tfss-no-such-engine\.sock/)));
  });

  it('offers the next free port when the REST port is taken on the host', async () => {
    const s = await spec();
    const blocker = net.createServer().listen(s.restPort, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    let err: unknown;
    try {
      await assert.rejects(start(s), kindIs('port-taken', (e) => {
        err = e;
        assert.strictEqual(e.details.port, s.restPort);
        const suggested = e.details.suggestedPort ?? 0;
        assert.ok(suggested > s.restPort && suggested !== s.grpcPort, `suggested ${suggested} for ${s.restPort}/${s.grpcPort}`);
        assert.match(e.hint ?? '', new RegExp(`Use port ${e.details.suggestedPort}`));
      }));
      const retry = await start({ ...s, restPort: (err as DockerEngineError).details.suggestedPort! });
      assert.strictEqual(retry.restUrl, `http://127.0.0.1:${(err as DockerEngineError).details.suggestedPort}`);
    } finally {
      blocker.close();
    }
  });

  it('offers another port when a container already publishes it', async () => {
    const first = await spec();
    await start(first);
    const second = await spec({ restPort: first.restPort });
    await assert.rejects(start(second), kindIs('port-taken', (e) => assert.strictEqual(e.details.port, first.restPort)));
  });

  it('reports a name clash with a free alternative', async () => {
    const name = `tfss-clash-${process.pid}`;
    await start(await spec({ containerName: name }));
    await assert.rejects(start(await spec({ containerName: name })), kindIs('name-clash', (e) => assert.strictEqual(e.details.suggestedName, `${name}-2`)));
  });

  it('says plainly that an image is missing and no registry answered', async () => {
    const s = await spec({ imageTag: '0.0.0-tfss-missing' });
    await assert.rejects(start(s), kindIs('image-missing', (e) => {
      assert.match(e.message, /Image tensorflow\/serving:0\.0\.0-tfss-missing is not on this Docker engine and it could not be pulled: no registry answered/);
    }));
    await assert.rejects(engine().createAndStart(containerCreateBody(s), { pull: false }), kindIs('image-missing'));
  });

  it('removes the container and explains when a GPU is requested from an engine without the nvidia driver', async () => {
    const name = `tfss-gpu-${process.pid}`;
    await assert.rejects(start(await spec({ device: 'gpu', containerName: name })), kindIs('gpu-unavailable', (e) => {
      assert.match(e.message, /could not select device driver "nvidia"/);
      assert.match(e.message, /the container was removed/);
    }));
    assert.strictEqual(await containerNamed(name), undefined);
    await assert.rejects(start(await spec({ device: 'gpu', gpuMode: 'nvidia-runtime', containerName: name })), kindIs('gpu-unavailable'));
    assert.strictEqual(await containerNamed(name), undefined);
  });

  it('shows the last log lines and the reason when the server exits at start (unknown flag)', async () => {
    const plan = containerCreateBody(await spec());
    plan.create.Cmd.push('--use_tflite_model=true'); // removed from tensorflow_model_server; never written by the core
    const started = await engine().createAndStart(plan);
    created.push(started.id);
    const client = new TfServingClient(started.restUrl);
    await assert.rejects(engine().waitUntilReady(started.id, () => client.isAvailable('hpt'), 20_000), kindIs('exited-at-start', (e) => {
      assert.notStrictEqual(e.details.exitCode, 0);
      assert.match(e.message, /unknown argument: --use_tflite_model=true/);
      assert.ok(e.details.lastLogLines?.some((l) => /--monitoring_config_file/.test(l)), 'the usage listing is among the last lines');
    }));
  });

  it('stops at start when the model base path is missing in the container', async () => {
    const s = await spec({ source: { kind: 'gcs', baseUri: 'gs://tfss-no-bucket/models/hpt' } });
    const started = await start(s);
    const client = new TfServingClient(started.restUrl);
    // The stand-in has no GCS file system: it fails like a server whose base path does not exist.
    await assert.rejects(engine().waitUntilReady(started.id, () => client.isAvailable('hpt'), 20_000),
      kindIs('exited-at-start', (e) => assert.match(e.message, /Could not find base path gs:\/\/tfss-no-bucket\/models\/hpt for servable hpt/)));
  });

  it('refuses a model folder with no valid version before creating anything', async () => {
    const empty = tempDir('empty');
    fs.mkdirSync(path.join(empty, 'v1'));
    const broken = copyModel('saved_model_half_plus_two_cpu', { '00000123': '7' });
    fs.rmSync(path.join(broken, '7', 'saved_model.pb'));
    assert.throws(() => preflight(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: empty }, configDir: '/tmp' })),
      kindIs('no-valid-version', (e) => assert.match(e.message, /no numbered version folders/)));
    assert.throws(() => preflight(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: broken }, configDir: '/tmp' })),
      kindIs('no-valid-version', (e) => assert.match(e.message, /7 lacks saved_model\.pb/)));
    const tflite = path.join(FIXTURES, 'saved_model_half_plus_two_tflite');
    assert.throws(() => preflight(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: tflite }, configDir: '/tmp' })), /needs --prefer_tflite_model/);
    preflight(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: tflite }, configDir: '/tmp', preferTfliteModel: true }));
  });

  it('the stand-in rejects an unknown flag with a non-zero exit, like the real server', async () => {
    const c = await engine().docker.createContainer({ Image: 'tensorflow/serving:latest', Cmd: ['--no_such_flag=1'], HostConfig: { Init: true } });
    created.push(c.id);
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    assert.notStrictEqual(StatusCode, 0);
    const lines = (await engine().lastLogLines(c.id, 100)).map((l) => l.text);
    assert.strictEqual(lines[0], 'unknown argument: --no_such_flag=1');
  });
});
