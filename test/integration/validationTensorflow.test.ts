// Validating conversions with real TensorFlow: the reported numbers equal numpy's on outputs this test gathers
// itself (its own SavedModel and LiteRT calls), a wrong pairing is flagged, and the CLI exits non-zero on a flag.
import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConversionError } from '../../src/core/convert/conversionError';
import { runValidation, type ValidationReport } from '../../src/core/convert/validationJob';
import { compareCommand } from '../../src/cli/compareCommand';
import { runPython, tensorflowZoo, venvPython, zooRepository } from './tensorflowZoo';
import { tflite, venvRunner, zooConversion } from './zooConversions';
import { runConversion } from '../../src/core/convert/conversionJob';

/** The test's own computation: run both models itself, then numpy. Shares no code with the project. */
const ORACLE = String.raw`
import json, sys
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter
saved_dir, tflite_file, rows_file = sys.argv[1:4]
rows = json.load(open(rows_file))["instances"]
fn = tf.saved_model.load(saved_dir).signatures["serving_default"]
runner = Interpreter(model_path=tflite_file).get_signature_runner("serving_default")
a, b = [], []
for row in rows:
    feed = {k: np.asarray(v, np.float32)[None] for k, v in row.items()}
    a.append(fn(**{k: tf.constant(v) for k, v in feed.items()})["output_0"].numpy().astype(np.float64))
    b.append(runner(**feed)["output_0"].astype(np.float64))
a, b = np.concatenate(a), np.concatenate(b)
d = np.abs(b - a)
print(json.dumps({"max": float(d.max()), "mean": float(d.mean()), "rel": float((d / np.maximum(np.abs(a), 1e-6)).max()),
                  "top1": float(100 * np.mean(a.argmax(1) == b.argmax(1))), "n": len(rows)}))
`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tfss-validate-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** 12 instances in TF Serving's row format (no batch axis), seeded. */
function rowsFile(): string {
  let x = 12345;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2 ** 31; return (x / 2 ** 31) * 2 - 1; };
  const instances = Array.from({ length: 12 }, () => ({
    features: Array.from({ length: 64 }, rnd),
    context: Array.from({ length: 8 }, () => Array.from({ length: 4 }, rnd)),
  }));
  const file = path.join(scratch, 'rows.json');
  writeFileSync(file, JSON.stringify({ instances }));
  return file;
}

const close = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

describe('validating conversions with real TensorFlow', function () {
  this.timeout(400_000);

  it('int8 classifier on a rows file: max/mean abs diff, max rel error and top-1 equal numpy on the test\'s own outputs', async () => {
    const { sourceDir, tfliteFile } = await zooConversion('classifier-int8');
    const rows = rowsFile();
    const oracleFile = path.join(scratch, 'oracle.py');
    writeFileSync(oracleFile, ORACLE);
    const [report, oracle] = await Promise.all([
      runValidation({ savedModelDir: sourceDir, tflite: tfliteFile, runner: venvRunner(), inputsFile: rows }),
      runPython([oracleFile, sourceDir, tfliteFile, rows]).then((r) => JSON.parse(r.stdout.trim().split('\n').pop()!)),
    ]);
    assert.strictEqual(report.samples, 12);
    assert.strictEqual(report.outputs.length, 1);
    const o = report.outputs[0];
    assert.deepStrictEqual([o.name, o.shape, o.elements], ['output_0', [1, 10], 120]);
    assert.ok(oracle.max > 0, 'int8 changes the outputs');
    for (const [ours, theirs, what] of [[o.maxAbsDiff, oracle.max, 'max'], [o.meanAbsDiff, oracle.mean, 'mean'], [o.maxRelError, oracle.rel, 'rel'], [o.top1AgreementPercent!, oracle.top1, 'top1']] as const) {
      assert.ok(close(ours, theirs), `${what}: ours ${ours}, numpy ${theirs}`);
    }
    assert.ok(report.tfliteBytes < report.savedModelBytes / 4);
    assert.ok(report.savedModelMedianMs > 0 && report.tfliteMedianMs > 0);
    assert.strictEqual(report.tensorflowVersion, '2.21.0');
  });

  it('a wrong pairing (another classifier\'s .tflite, same interface) is flagged in plain words, and the CLI exits 1', async () => {
    const zoo = await tensorflowZoo();
    const other = zooRepository(zoo, 'classifier_b');
    try {
      const converted = await runConversion({ versionDir: other.versionDir, options: tflite({ quantize: 'none' }), runner: venvRunner(), destination: { kind: 'next-version' } });
      const { sourceDir } = await zooConversion('classifier-dynamic');
      const report = await runValidation({ savedModelDir: sourceDir, tflite: converted.outputPath, runner: venvRunner(), samples: 50 });
      assert.strictEqual(report.passed, false);
      assert.ok(report.outputs[0].top1AgreementPercent! < 60, String(report.outputs[0].top1AgreementPercent));
      assert.ok(report.flags.some((f) => /^Output "output_0" picks the same top class for only [\d.]+ % of the inputs \(at least 99 % expected\)\.$/.test(f)), report.flags.join('\n'));
      assert.ok(report.flags.some((f) => /^Output "output_0" differs by up to .*, above the 0\.01 allowed\.$/.test(f)), report.flags.join('\n'));
      const out: string[] = [];
      const code = await compareCommand.run([sourceDir, converted.outputPath, '--python', venvPython(), '--samples', '8', '--json'],
        { out: (t) => out.push(t), err: () => undefined, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, cwd: scratch });
      assert.strictEqual(code, 1);
      assert.strictEqual((JSON.parse(out.join('\n')) as ValidationReport).passed, false);
    } finally {
      other.cleanup();
    }
  });

  it('the right pairing with generated inputs passes the default thresholds (dynamic range), seeded and repeatable; CLI exit 0', async () => {
    const { sourceDir, tfliteFile } = await zooConversion('classifier-dynamic');
    const first = await runValidation({ savedModelDir: sourceDir, tflite: tfliteFile, runner: venvRunner(), samples: 20, seed: 3 });
    const again = await runValidation({ savedModelDir: sourceDir, tflite: tfliteFile, runner: venvRunner(), samples: 20, seed: 3 });
    assert.deepStrictEqual(first.outputs, again.outputs);
    assert.strictEqual(first.samples, 20);
    assert.match(first.inputs, /^20 generated example\(s\), seed 3 \(floats uniform in \[0, 1\)/);
    assert.ok(first.passed, first.flags.join('\n'));
    const lookup = await zooConversion('two_sigs-lookup');
    const ints = await runValidation({ savedModelDir: lookup.sourceDir, tflite: lookup.tfliteFile, runner: venvRunner(), signatureKey: 'lookup', samples: 5 });
    assert.deepStrictEqual(ints.outputs.map((o) => [o.name, o.maxAbsDiff]), [['count', 0], ['values', 0]], 'an un-quantized int64 lookup is exact');
    const code = await compareCommand.run([sourceDir, tfliteFile, '--python', venvPython(), '--samples', '4', '--max-abs-diff', '0.5'],
      { out: () => undefined, err: () => undefined, env: process.env, cwd: scratch });
    assert.strictEqual(code, 0);
  });

  it('models that cannot be compared say why: another interface, Flex ops', async () => {
    const { sourceDir } = await zooConversion('classifier-dynamic');
    const cnn = await zooConversion('cnn-int8');
    const e = await runValidation({ savedModelDir: sourceDir, tflite: cnn.tfliteFile, runner: venvRunner(), samples: 2 }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof ConversionError && e.kind === 'validation-failed', String(e));
    assert.match(e.message, /^The TFLite file takes image; the SavedModel signature takes context, features\.$/);
    assert.match(e.hint!, /not the same model/);
    const text = await zooConversion('text-select');
    const f = await runValidation({ savedModelDir: text.sourceDir, tflite: text.tfliteFile, runner: venvRunner(), samples: 2 }).then(() => undefined, (x: unknown) => x);
    assert.ok(f instanceof ConversionError && f.kind === 'validation-failed', String(f));
    assert.match(f.message, /uses TensorFlow \(Flex\) ops, which this interpreter cannot run/);
  });
});
