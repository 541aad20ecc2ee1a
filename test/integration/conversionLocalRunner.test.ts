// The generated scripts run by a real python3 through the local runner, against the stand-in tensorflow package
// (test/fixtures/fake-tensorflow) that records every converter call. Real TensorFlow is not installed here, so these
// tests prove the plumbing and the API calls, not the numerics of a real conversion.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ConversionOptions } from '../../src/core/convert/conversionOptions';
import { ConversionError } from '../../src/core/convert/conversionError';
import { runConversion, type ConversionDestination } from '../../src/core/convert/conversionJob';
import { LocalPythonRunner } from '../../src/core/convert/localPythonRunner';
import { convertCommand } from '../../src/cli/convertCommand';
import { npyFloat32 } from '../unit/conversionNpy';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FAKE_TF = path.join(REPO, 'test', 'fixtures', 'fake-tensorflow');
const SOURCE = path.join(REPO, 'test', 'fixtures', 'tf-serving', 'saved_model_half_plus_two_tf2_cpu', '00000123');
const PYTHON = process.env.TFSS_TEST_PYTHON ?? 'python3';

interface Call { call: string; args: Record<string, unknown> }

const scratch: string[] = [];
/** A temporary folder removed after the suite. */
function tmp(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tfss-${prefix}-`));
  scratch.push(dir);
  return dir;
}

/** A model repository holding a copy of TF Serving's half_plus_two (TF2) as version 123. */
function repository(): { root: string; versionDir: string; modelDir: string } {
  const root = tmp('convert');
  // Quote and space in the path: the script must carry it as a valid Python literal.
  const modelDir = path.join(root, "half plus 'two'");
  cpSync(SOURCE, path.join(modelDir, '00000123'), { recursive: true });
  return { root, versionDir: path.join(modelDir, '00000123'), modelDir };
}

function readCalls(log: string): Call[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : [];
}

const tflite = (o: Partial<Record<string, unknown>> = {}) =>
  ({ target: 'tflite', quantize: 'dynamic', signatureKey: 'serving_default', selectTfOps: false, ...o }) as ConversionOptions;
const trt = (o: Partial<Record<string, unknown>> = {}) =>
  ({ target: 'tensorrt', precision: 'FP16', signatureKey: 'serving_default', maxWorkspaceBytes: 1 << 28, minimumSegmentSize: 5, ...o }) as ConversionOptions;

async function convert(options: ConversionOptions, env: Record<string, string> = {}, destination?: (repo: ReturnType<typeof repository>) => ConversionDestination) {
  const repo = repository();
  const log = path.join(repo.root, 'calls.jsonl');
  const runner = new LocalPythonRunner({ python: PYTHON, env: { ...process.env, PYTHONPATH: FAKE_TF, FAKE_TF_LOG: log, ...env }, killGraceMs: 1000 });
  const lines: string[] = [];
  const result = await runConversion({
    versionDir: repo.versionDir, options, runner, destination: destination?.(repo) ?? { kind: 'next-version' }, onLine: (l) => lines.push(l.text),
  });
  return { result, calls: readCalls(log), repo, lines };
}

async function conversionError(p: Promise<unknown>): Promise<ConversionError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConversionError) return e;
    throw e;
  }
  assert.fail('expected a ConversionError');
}

const fromSavedModel = (dir: string): Call => ({ call: 'tf.lite.TFLiteConverter.from_saved_model', args: { saved_model_dir: dir, signature_keys: ['serving_default'], tags: null } });
const set = (name: string, value: unknown): Call => ({ call: `set converter.${name}`, args: { value } });
const xSample = { call: 'representative_dataset sample', args: { sample: { kind: 'dict', inputs: { x: { dtype: 'float32', shape: [1] } } } } };

describe('conversion through the local Python runner (stand-in tensorflow, real python3)', function () {
  this.timeout(60_000);
  after(() => { for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true }); });

  before(function () {
    // Representative datasets are read with numpy, as TensorFlow's own examples do.
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'pipe' });
  });

  it('dynamic range: from_saved_model(signature_keys=[…]), optimizations=[Optimize.DEFAULT], convert(); publishes version 124 with model.tflite alone', async () => {
    const { result, calls, repo } = await convert(tflite({ quantize: 'dynamic' }));
    assert.deepStrictEqual(calls, [fromSavedModel(repo.versionDir), set('optimizations', ['tf.lite.Optimize.DEFAULT']), { call: 'converter.convert', args: {} }]);
    assert.strictEqual(result.publishedVersion, 124);
    assert.strictEqual(result.outputPath, path.join(repo.modelDir, '124'));
    assert.deepStrictEqual(readdirSync(path.join(repo.modelDir, '124')), ['model.tflite']);
    assert.deepStrictEqual(readdirSync(repo.modelDir).sort(), ['00000123', '124'], 'no staging folder left behind');
    assert.strictEqual(result.tensorflowVersion, '2.17.0');
    assert.deepStrictEqual(result.report.after.tflite!.tensorsByType.INT8, { tensors: 1, constantTensors: 1, constantBytes: 256 });
    assert.strictEqual(result.report.after.tflite!.quantized.length, 1);
  });

  it('float16: adds target_spec.supported_types = [tf.float16]', async () => {
    const { result, calls, repo } = await convert(tflite({ quantize: 'float16' }));
    assert.deepStrictEqual(calls, [
      fromSavedModel(repo.versionDir), set('optimizations', ['tf.lite.Optimize.DEFAULT']), set('target_spec.supported_types', ['tf.float16']),
      { call: 'converter.convert', args: {} },
    ]);
    assert.deepStrictEqual(result.report.after.tflite!.tensorsByType.FLOAT16, { tensors: 2, constantTensors: 2, constantBytes: 544 });
    assert.deepStrictEqual(result.report.after.tflite!.operators, { DEQUANTIZE: 2, FULLY_CONNECTED: 1 });
  });

  it('no quantization: from_saved_model and convert() only', async () => {
    const { calls, repo, result } = await convert(tflite({ quantize: 'none' }));
    assert.deepStrictEqual(calls, [fromSavedModel(repo.versionDir), { call: 'converter.convert', args: {} }]);
    assert.strictEqual(result.report.after.tflite!.tensorsByType.FLOAT32.constantBytes, 1088);
  });

  it('int8 with a .npy dataset: representative_dataset, TFLITE_BUILTINS_INT8, every sample fed as {x: float32[1]}', async () => {
    const dir = tmp('npy');
    const file = path.join(dir, 'samples.npy');
    writeFileSync(file, npyFloat32([5], [0, 1, 2, 3, 4]));
    const { calls, repo, result } = await convert(tflite({ quantize: 'int8', representativeDataset: file }));
    assert.deepStrictEqual(calls, [
      fromSavedModel(repo.versionDir),
      set('optimizations', ['tf.lite.Optimize.DEFAULT']),
      set('representative_dataset', '<callable sample_inputs>'),
      set('target_spec.supported_ops', ['tf.lite.OpsSet.TFLITE_BUILTINS_INT8']),
      { call: 'converter.convert', args: {} },
      xSample, xSample, xSample, xSample, xSample,
    ]);
    assert.deepStrictEqual(result.report.after.tflite!.operators, { QUANTIZE: 1, FULLY_CONNECTED: 1, DEQUANTIZE: 1 });
    assert.deepStrictEqual(result.samples?.count, 5);
  });

  it('int8 with JSON samples and int8 inputs/outputs: inference_input_type/inference_output_type = tf.int8', async () => {
    const dir = tmp('json');
    const file = path.join(dir, 'samples.json');
    writeFileSync(file, JSON.stringify([{ x: [1] }, { x: [2.5] }]));
    const { calls, repo, result } = await convert(tflite({ quantize: 'int8', representativeDataset: file, integerOnlyIo: true }));
    assert.deepStrictEqual(calls.map((c) => c.call), [
      'tf.lite.TFLiteConverter.from_saved_model', 'set converter.optimizations', 'set converter.representative_dataset',
      'set converter.target_spec.supported_ops', 'set converter.inference_input_type', 'set converter.inference_output_type',
      'converter.convert', 'representative_dataset sample', 'representative_dataset sample',
    ]);
    assert.deepStrictEqual(calls[4].args, { value: 'tf.int8' });
    assert.deepStrictEqual(calls[5].args, { value: 'tf.int8' });
    assert.deepStrictEqual(calls[7], xSample);
    assert.deepStrictEqual([result.report.after.tflite!.inputTypes, result.report.after.tflite!.outputTypes], [['INT8'], ['INT8']]);
    void repo;
  });

  it('SELECT_TF_OPS: supported_ops = [TFLITE_BUILTINS, SELECT_TF_OPS] and the tens-of-MB warning', async () => {
    const { calls, result } = await convert(tflite({ quantize: 'dynamic', selectTfOps: true }));
    assert.deepStrictEqual(calls[2], set('target_spec.supported_ops', ['tf.lite.OpsSet.TFLITE_BUILTINS', 'tf.lite.OpsSet.SELECT_TF_OPS']));
    assert.ok(result.warnings.some((w) => /tens of MB/.test(w)));
  });

  it('--out: a .tflite path gets the file, the repository gets no new version', async () => {
    const out = path.join(tmp('out'), 'half.tflite');
    const { result, repo } = await convert(tflite({ quantize: 'float16' }), {}, () => ({ kind: 'path', path: out }));
    assert.strictEqual(result.outputPath, out);
    assert.strictEqual(result.publishedVersion, undefined);
    assert.deepStrictEqual(readdirSync(repo.modelDir), ['00000123']);
    assert.strictEqual(readFileSync(out).subarray(4, 8).toString(), 'TFL3');
  });

  it('TF-TRT FP16: TrtGraphConverterV2 with precision, workspace and segment size, convert(), save(); report counts TRTEngineOp', async () => {
    const out = path.join(tmp('trt'), 'trt');
    const { calls, repo, result } = await convert(trt(), {}, () => ({ kind: 'path', path: out }));
    assert.strictEqual(calls.length, 3);
    assert.deepStrictEqual(calls[0], {
      call: 'trt.TrtGraphConverterV2',
      args: {
        input_saved_model_dir: repo.versionDir, input_saved_model_tags: null, input_saved_model_signature_key: 'serving_default',
        max_workspace_size_bytes: 1 << 28, precision_mode: 'FP16', minimum_segment_size: 5, use_calibration: false,
      },
    });
    assert.deepStrictEqual(calls[1], { call: 'converter.convert', args: { calibration_input_fn: null } });
    assert.strictEqual(calls[2].call, 'converter.save');
    assert.strictEqual(result.outputPath, out);
    assert.ok(existsSync(path.join(out, 'saved_model.pb')) && existsSync(path.join(out, 'variables')));
    assert.strictEqual(result.report.before.savedModel!.trtEngineOps, 0);
    assert.strictEqual(result.report.after.savedModel!.trtEngineOps, 1);
    assert.ok(result.report.findings.includes('TRTEngineOp nodes: 0 → 1.'), result.report.findings.join('\n'));
    assert.ok(result.report.findings.some((f) => f.startsWith('Still in TensorFlow: ') && f.includes('Mul')), result.report.findings.join('\n'));
    assert.ok(result.report.findings.some((f) => f.includes('tensorflow/serving:2.17.0-gpu')));
  });

  it('TF-TRT INT8: use_calibration=True, convert(calibration_input_fn=…), build(input_fn=…), then save()', async () => {
    const dir = tmp('cal');
    const file = path.join(dir, 'calibration.json');
    writeFileSync(file, JSON.stringify([{ x: [1] }, { x: [2] }, { x: [3] }]));
    const { calls, result } = await convert(trt({ precision: 'INT8', calibrationInput: file }));
    const sample = { sample: { kind: 'dict', inputs: { x: { dtype: 'float32', shape: [1] } } } };
    assert.deepStrictEqual(calls.map((c) => c.call), [
      'trt.TrtGraphConverterV2', 'converter.convert', 'calibration_input_fn sample', 'calibration_input_fn sample', 'calibration_input_fn sample',
      'converter.build', 'input_fn sample', 'input_fn sample', 'input_fn sample', 'converter.save',
    ]);
    assert.strictEqual(calls[0].args.precision_mode, 'INT8');
    assert.strictEqual(calls[0].args.use_calibration, true);
    assert.deepStrictEqual(calls[1].args, { calibration_input_fn: '<callable sample_inputs>' });
    assert.deepStrictEqual(calls[2].args, sample);
    assert.deepStrictEqual(calls[5].args, { input_fn: '<callable sample_inputs>' });
    assert.strictEqual(result.publishedVersion, 124);
    assert.strictEqual(result.report.after.savedModel!.trtEngineOps, 1);
  });

  describe('converter errors become plain messages', () => {
    const published = (repo: { modelDir: string }) => readdirSync(repo.modelDir);

    it('unsupported ops (TF 2.5+ text): names the ops and suggests SELECT_TF_OPS; nothing published', async () => {
      const repo = repository();
      const runner = new LocalPythonRunner({ python: PYTHON, env: { ...process.env, PYTHONPATH: FAKE_TF, FAKE_TF_FAIL: 'unsupported-ops' } });
      const e = await conversionError(runConversion({ versionDir: repo.versionDir, options: tflite(), runner, destination: { kind: 'next-version' } }));
      assert.strictEqual(e.kind, 'unsupported-ops');
      assert.deepStrictEqual(e.ops, ['Erf', 'StringSplitV2']);
      assert.strictEqual(e.message, 'TFLite cannot convert these ops: Erf, StringSplitV2');
      assert.match(e.hint!, /SELECT_TF_OPS.*may help/);
      assert.deepStrictEqual(published(repo), ['00000123']);
    });

    it('an op outside the Flex allowlist with SELECT_TF_OPS already on: says SELECT_TF_OPS will not help', async () => {
      const e = await conversionError(convert(tflite({ selectTfOps: true }), { FAKE_TF_FAIL: 'not-flex' }));
      assert.deepStrictEqual(e.ops, ['MyCustomOp']);
      assert.match(e.hint!, /already on/);
    });

    it('TF 2.2-2.4 wording ("ops that can be supported by the flex runtime")', async () => {
      const e = await conversionError(convert(tflite(), { FAKE_TF_FAIL: 'legacy-flex' }));
      assert.strictEqual(e.kind, 'unsupported-ops');
      assert.deepStrictEqual(e.ops, ['Erf']);
    });

    it('any other converter exception: its type and last line', async () => {
      const e = await conversionError(convert(tflite(), { FAKE_TF_FAIL: 'crash' }));
      assert.strictEqual(e.kind, 'converter-failed');
      assert.strictEqual(e.message, 'RuntimeError: fake converter crashed on purpose');
    });
  });

  describe('preflight', () => {
    it('says plainly when the interpreter has no TensorFlow', async () => {
      const runner = new LocalPythonRunner({ python: PYTHON, env: { ...process.env, PYTHONPATH: '' } });
      const e = await conversionError(runner.preflight('tflite'));
      assert.strictEqual(e.kind, 'tensorflow-missing');
      assert.match(e.message, /cannot import TensorFlow: ModuleNotFoundError: No module named 'tensorflow'/);
      assert.match(e.hint!, /pip install tensorflow==2\.17\.0.*Docker runner/);
    });

    it('says plainly when there is no interpreter at that path', async () => {
      const e = await conversionError(new LocalPythonRunner({ python: '/nonexistent/python3' }).preflight('tflite'));
      assert.strictEqual(e.kind, 'python-missing');
      assert.match(e.message, /No Python interpreter at "\/nonexistent\/python3"/);
    });

    it('refuses TF-TRT on TensorFlow 2.18 (TF-TRT removed after 2.17) but accepts it for TFLite', async () => {
      const runner = new LocalPythonRunner({ python: PYTHON, env: { ...process.env, PYTHONPATH: FAKE_TF, FAKE_TF_VERSION: '2.18.0' } });
      assert.strictEqual(await runner.preflight('tflite'), '2.18.0');
      const e = await conversionError(runner.preflight('tensorrt'));
      assert.strictEqual(e.kind, 'tensorflow-version');
      assert.match(e.message, /TensorFlow 2\.18\.0, which no longer includes TF-TRT/);
    });
  });

  it('cancel: the AbortSignal ends the script\'s process group within the grace time; nothing is published', async () => {
    const repo = repository();
    const controller = new AbortController();
    const runner = new LocalPythonRunner({ python: PYTHON, env: { ...process.env, PYTHONPATH: FAKE_TF, FAKE_TF_SLEEP: '60' }, killGraceMs: 2000 });
    const started = Date.now();
    let aborted = 0;
    const e = await conversionError(runConversion({
      versionDir: repo.versionDir, options: tflite(), runner, destination: { kind: 'next-version' }, signal: controller.signal,
      onLine: (l) => { if (l.text.includes('fake converter: working')) { aborted = Date.now(); controller.abort(); } },
    }));
    assert.strictEqual(e.kind, 'cancelled');
    assert.ok(aborted > 0, 'the script was running when cancelled');
    assert.ok(Date.now() - aborted < 5000, `ended ${Date.now() - aborted} ms after the abort`);
    assert.ok(Date.now() - started < 30_000);
    assert.deepStrictEqual(readdirSync(repo.modelDir), ['00000123']);
  });

  it('CLI --dry-run: the script on stdout, the command on stderr; the printed script runs as-is with python3', async () => {
    const repo = repository();
    const out: string[] = [];
    const err: string[] = [];
    const code = await convertCommand.run([repo.versionDir, '--to', 'tflite', '--quantize', 'float16', '--dry-run'],
      { out: (t) => out.push(t), err: (t) => err.push(t), env: process.env, cwd: repo.root });
    assert.strictEqual(code, 0, err.join('\n'));
    assert.strictEqual(out.length, 1);
    assert.match(out[0], /^#!\/usr\/bin\/env python3\n/);
    assert.deepStrictEqual(err, [`python3 ${path.join(repo.root, 'convert.py')}`]);
    assert.deepStrictEqual(readdirSync(repo.modelDir), ['00000123'], 'a dry run writes nothing');
    const script = path.join(repo.root, 'convert.py');
    writeFileSync(script, out[0]);
    const log = path.join(repo.root, 'calls.jsonl');
    const stdout = execFileSync(PYTHON, [script], { env: { ...process.env, PYTHONPATH: FAKE_TF, FAKE_TF_LOG: log }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(stdout, /@@tfserving-studio \{"output": ".*\/124\/model\.tflite", "bytes": \d+, "event": "result"\}/);
    assert.deepStrictEqual(readCalls(log).map((c) => c.call), [
      'tf.lite.TFLiteConverter.from_saved_model', 'set converter.optimizations', 'set converter.target_spec.supported_types', 'converter.convert',
    ]);
    assert.ok(existsSync(path.join(repo.modelDir, '124', 'model.tflite')));
  });

  it('CLI refuses bad flags and mismatched sample inputs before running anything', async () => {
    const repo = repository();
    const run = async (...args: string[]) => {
      const err: string[] = [];
      const code = await convertCommand.run([repo.versionDir, ...args], { out: () => undefined, err: (t) => err.push(t), env: process.env, cwd: repo.root });
      return { code, err: err.join('\n') };
    };
    assert.match((await run('--to', 'onnx')).err, /--to tflite or --to tensorrt is required/);
    assert.match((await run('--to', 'tflite', '--precision', 'FP16')).err, /--precision is for --to tensorrt/);
    assert.match((await run('--to', 'tflite', '--quantize', 'int8')).err, /needs a representative dataset/);
    const bad = path.join(repo.root, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ y: [1] }]));
    const r = await run('--to', 'tflite', '--representative', bad, '--dry-run');
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /sample 0 has "y", which signature "serving_default" does not take/);
    assert.match(r.err, /Its inputs are x\./);
  });
});
