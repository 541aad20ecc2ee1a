// The Docker runner on the real (private) Docker engine, with stand-in tensorflow/tensorflow:2.17.0(-gpu) images
// built offline by test/docker/buildTensorflowImage.sh: python3 plus the recording stand-in tensorflow package.
// Checks mounts (model read-only, output writable), log streaming, GPU device requests, cancel and clean-up.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { ConversionOptions } from '../../src/core/convert/conversionOptions';
import { ConversionError } from '../../src/core/convert/conversionError';
import { runConversion } from '../../src/core/convert/conversionJob';
import { CONVERSION_LABEL, DockerRunner } from '../../src/core/convert/dockerRunner';
import { FIXTURES, REPO, tempDir, useDockerEngine } from './servingEngineFixture';
import { npyFloat32 } from '../unit/conversionNpy';

interface Call { call: string; args: Record<string, unknown> }

const tflite = { target: 'tflite', quantize: 'float16', signatureKey: 'serving_default', selectTfOps: false } as ConversionOptions;
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

describe('conversion through the Docker runner (real engine, stand-in tensorflow image)', function () {
  this.timeout(120_000);
  const engine = useDockerEngine();
  after(() => { for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true }); });

  before(function () {
    this.timeout(300_000);
    execFileSync('sh', [path.join(REPO, 'test/docker/buildTensorflowImage.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  });

  it('TFLite float16 in tensorflow/tensorflow:2.17.0: model mounted read-only, output written, published as version 124', async () => {
    const s = setup();
    const lines: string[] = [];
    const result = await runConversion({ versionDir: s.versionDir, options: tflite, runner: s.runner(), destination: { kind: 'next-version' }, onLine: (l) => lines.push(`${l.stream}: ${l.text}`) });
    const calls = s.readCalls();
    assert.deepStrictEqual(calls.map((c) => c.call), [
      'tf.lite.TFLiteConverter.from_saved_model', 'probe saved_model_dir', 'set converter.optimizations', 'set converter.target_spec.supported_types', 'converter.convert',
    ]);
    assert.deepStrictEqual(calls[0].args, { saved_model_dir: '/model', signature_keys: ['serving_default'], tags: null });
    assert.deepStrictEqual(calls[1].args, { writable: false, error: 'Read-only file system' });
    assert.strictEqual(result.publishedVersion, 124);
    assert.deepStrictEqual(readdirSync(path.join(s.modelDir, '124')), ['model.tflite']);
    assert.strictEqual(result.report.after.tflite!.tensorsByType.FLOAT16.constantTensors, 2);
    // Both streams arrive, demultiplexed: the script's result line on stdout, the converter's note on stderr.
    assert.ok(lines.some((l) => /^stdout: @@tfserving-studio \{"output": "\/output\/model\.tflite", "bytes": \d+, "event": "result"\}$/.test(l)), lines.join('\n'));
    assert.ok(lines.includes('stderr: fake converter: writing a float16 model'), lines.join('\n'));
    assert.strictEqual(result.commandLine.startsWith('docker run --rm --user '), true);
    assert.match(result.commandLine, / -v [^ ]+00000123:\/model:ro /);
    assert.match(result.commandLine, / tensorflow\/tensorflow:2\.17\.0 python3 \/work\/convert\.py$/);
    const left = await engine().docker.listContainers({ all: true, filters: { label: [CONVERSION_LABEL] } });
    assert.deepStrictEqual(left, [], 'the conversion container is removed');
  });

  it('TFLite int8: the .npy dataset is mounted read-only under /samples and every sample reaches the converter', async () => {
    const s = setup();
    const samples = path.join(s.root, 'samples.npy');
    writeFileSync(samples, npyFloat32([3], [0.5, 1.5, 2.5]));
    const options = { ...tflite, quantize: 'int8', representativeDataset: samples } as ConversionOptions;
    const result = await runConversion({ versionDir: s.versionDir, options, runner: s.runner(), destination: { kind: 'next-version' } });
    const calls = s.readCalls();
    assert.deepStrictEqual(calls.filter((c) => c.call === 'representative_dataset sample').map((c) => c.args),
      Array(3).fill({ sample: { kind: 'dict', inputs: { x: { dtype: 'float32', shape: [1] } } } }));
    assert.match(result.commandLine, / -v [^ ]+samples\.npy:\/samples\/samples\.npy:ro /);
    assert.match(result.script, /^SAMPLES_FILE = "\/samples\/samples\.npy"$/m);
    assert.deepStrictEqual(result.report.after.tflite!.operators, { QUANTIZE: 1, FULLY_CONNECTED: 1, DEQUANTIZE: 1 });
    assert.strictEqual(result.publishedVersion, 124);
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

  it('cancel kills the container and removes it; nothing is published', async () => {
    const s = setup();
    const controller = new AbortController();
    let abortedAt = 0;
    const e = await runConversion({
      versionDir: s.versionDir, options: tflite, runner: s.runner({ env: ['FAKE_TF_SLEEP=60'] }), destination: { kind: 'next-version' }, signal: controller.signal,
      onLine: (l) => { if (l.text.includes('fake converter: working')) { abortedAt = Date.now(); controller.abort(); } },
    }).then(() => assert.fail('expected cancel'), (err: unknown) => err as ConversionError);
    assert.ok(e instanceof ConversionError, String(e));
    assert.strictEqual(e.kind, 'cancelled');
    assert.ok(abortedAt > 0);
    assert.ok(Date.now() - abortedAt < 15_000, `took ${Date.now() - abortedAt} ms`);
    assert.deepStrictEqual(readdirSync(s.modelDir), ['00000123']);
    const left = await engine().docker.listContainers({ all: true, filters: { label: [CONVERSION_LABEL] } });
    assert.deepStrictEqual(left, []);
  });
});
