// The Docker runner on the real (private) Docker engine for TF-TRT, which needs an NVIDIA GPU: the stand-in
// tensorflow/tensorflow:2.17.0-gpu image built offline by test/docker/buildTensorflowImage.sh (python3 plus the
// recording stand-in tensorflow package). Checks GPU device requests, mounts, and the engine's plain failures.
// TFLite runs in the real TensorFlow image: conversionDockerTensorflow.test.ts.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import * as path from 'path';
import type { ConversionOptions } from '../../src/core/convert/conversionOptions';
import { ConversionError } from '../../src/core/convert/conversionError';
import { runConversion } from '../../src/core/convert/conversionJob';
import { CONVERSION_LABEL, DockerRunner } from '../../src/core/convert/dockerRunner';
import { FIXTURES, REPO, tempDir, useDockerEngine } from './servingEngineFixture';

interface Call { call: string; args: Record<string, unknown> }

const trt = { target: 'tensorrt', precision: 'FP16', signatureKey: 'serving_default', maxWorkspaceBytes: 1 << 28, minimumSegmentSize: 3 } as ConversionOptions;

const scratch: string[] = [];

function setup() {
  const root = tempDir('convert-docker');
  scratch.push(root);
  const modelDir = path.join(root, 'half_plus_two');
  cpSync(path.join(FIXTURES, 'saved_model_half_plus_two_tf2_cpu', '00000123'), path.join(modelDir, '00000123'), { recursive: true });
  const calls = path.join(root, 'calls');
  mkdirSync(calls);
  const runner = (extra: { env?: string[]; gpus?: boolean } = {}) => new DockerRunner({
    pull: false, gpus: extra.gpus, env: ['FAKE_TF_LOG=/calls/calls.jsonl', 'FAKE_TF_PROBE_WRITE=1', ...(extra.env ?? [])], extraBinds: [`${calls}:/calls`],
  });
  const readCalls = (): Call[] => {
    const f = path.join(calls, 'calls.jsonl');
    return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call) : [];
  };
  return { root, modelDir, versionDir: path.join(modelDir, '00000123'), runner, readCalls };
}

describe('TF-TRT conversion through the Docker runner (real engine, stand-in tensorflow GPU image)', function () {
  this.timeout(120_000);
  const engine = useDockerEngine();
  after(() => { for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true }); });

  before(function () {
    this.timeout(300_000);
    execFileSync('sh', [path.join(REPO, 'test/docker/buildTensorflowImage.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  });

  it('TF-TRT asks for the GPUs: an engine without the NVIDIA runtime gives a plain message and nothing is published', async () => {
    const s = setup();
    const e = await runConversion({ versionDir: s.versionDir, options: trt, runner: s.runner(), destination: { kind: 'next-version' } }).then(
      () => assert.fail('expected a failure'), (err: unknown) => err as ConversionError);
    assert.ok(e instanceof ConversionError, String(e));
    assert.strictEqual(e.kind, 'runner-failed');
    assert.match(e.message, /no NVIDIA GPU support/);
    assert.match(e.hint!, /NVIDIA Container Toolkit/);
    assert.deepStrictEqual(readdirSync(s.modelDir), ['00000123']);
    const left = await engine().docker.listContainers({ all: true, filters: { label: [CONVERSION_LABEL] } });
    assert.deepStrictEqual(left, []);
  });

  it('TF-TRT in tensorflow/tensorflow:2.17.0-gpu (GPU request off): SavedModel written to the output mount, TRTEngineOp counted', async () => {
    const s = setup();
    const out = path.join(s.root, 'trt-out');
    const result = await runConversion({ versionDir: s.versionDir, options: trt, runner: s.runner({ gpus: false }), destination: { kind: 'path', path: out } });
    const calls = s.readCalls();
    assert.deepStrictEqual(calls.map((c) => c.call), ['trt.TrtGraphConverterV2', 'converter.convert', 'converter.save']);
    assert.strictEqual(calls[0].args.input_saved_model_dir, '/model');
    assert.deepStrictEqual(calls[2].args, { output_saved_model_dir: '/output' });
    assert.match(result.commandLine, / tensorflow\/tensorflow:2\.17\.0-gpu python3 /);
    assert.strictEqual(result.report.after.savedModel!.trtEngineOps, 1);
    assert.ok(existsSync(path.join(out, 'variables', 'variables.index')));
  });

  it('says plainly when the engine is unreachable or the image is missing (no pull)', async () => {
    const s = setup();
    const dead = new DockerRunner({ connect: async () => {
      const { DockerEngine } = await import('../../src/core/serving/dockerEngine');
      return DockerEngine.connect({ socketPath: path.join(s.root, 'no-such.sock'), description: 'unix://no-such.sock (test)' });
    } });
    const e1 = await dead.preflight('tflite').then(() => assert.fail('expected failure'), (e: unknown) => e as ConversionError);
    assert.ok(e1 instanceof ConversionError, String(e1));
    assert.match(e1.message, /Docker is not answering at unix:\/\/no-such\.sock \(test\)/);
    assert.ok(e1.hint);
    const e2 = await new DockerRunner({ image: 'tensorflow/tensorflow:0.0.0-none', pull: false }).preflight('tflite')
      .then(() => assert.fail('expected failure'), (e: unknown) => e as ConversionError);
    assert.strictEqual(e2.kind, 'runner-failed');
    assert.match(e2.message, /Image tensorflow\/tensorflow:0\.0\.0-none is not on this Docker engine/);
  });
});
