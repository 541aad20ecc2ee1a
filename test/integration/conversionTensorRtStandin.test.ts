// TF-TRT only: it needs an NVIDIA GPU and TensorFlow <= 2.17, neither of which this machine has. The generated
// TF-TRT scripts run with a real python3 through the local runner against the stand-in tensorflow package
// (test/fixtures/fake-tensorflow), which records every converter call: the plumbing and the API calls are
// checked, not a real TensorRT engine. Every TFLite conversion runs on real TensorFlow (conversionTensorflow.test.ts).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ConversionOptions } from '../../src/core/convert/conversionOptions';
import { runConversion, type ConversionDestination } from '../../src/core/convert/conversionJob';
import { LocalPythonRunner } from '../../src/core/convert/localPythonRunner';
import { conversionError } from './conversionErrorOf';

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



describe('TF-TRT conversion through the local Python runner (stand-in tensorflow, real python3)', function () {
  this.timeout(60_000);
  after(() => { for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true }); });

  before(function () {
    // Representative datasets are read with numpy, as TensorFlow's own examples do.
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'pipe' });
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

  describe('preflight', () => {
    it('refuses TF-TRT on TensorFlow 2.18 (TF-TRT removed after 2.17) but accepts it for TFLite', async () => {
      const runner = new LocalPythonRunner({ python: PYTHON, env: { ...process.env, PYTHONPATH: FAKE_TF, FAKE_TF_VERSION: '2.18.0' } });
      assert.strictEqual(await runner.preflight('tflite'), '2.18.0');
      const e = await conversionError(runner.preflight('tensorrt'));
      assert.strictEqual(e.kind, 'tensorflow-version');
      assert.match(e.message, /TensorFlow 2\.18\.0, which no longer includes TF-TRT/);
    });
  });

});
