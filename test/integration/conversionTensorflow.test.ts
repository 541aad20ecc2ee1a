// TFLite conversions for real: the zoo's models (made by TensorFlow 2.21 in .venv/) converted through the local
// Python runner with real TensorFlow, every output loaded in LiteRT's interpreter and asked one request.
import * as assert from 'assert';
import { readdirSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { runConversion } from '../../src/core/convert/conversionJob';
import { generateConversionScript } from '../../src/core/convert/conversionScript';
import { convertCommand } from '../../src/cli/convertCommand';
import { runPython, tensorflowZoo, venvPython, withZooRepository, zooRepository } from './tensorflowZoo';
import { conversionError } from './conversionErrorOf';
import { answerRequests, tflite, venvRunner, zooConversion, type RequestAnswer } from './zooConversions';


const outputsOf = (a: RequestAnswer) => {
  if ('error' in a) assert.fail(a.error);
  return a.outputs;
};

describe('TFLite conversion with real TensorFlow (local runner, .venv)', function () {
  this.timeout(300_000);

  it('dynamic range on the classifier: version 2 holds model.tflite alone, int8 weights, about 4x smaller', async () => {
    const { result, modelDir } = await zooConversion('classifier-dynamic');
    assert.strictEqual(result.tensorflowVersion, '2.21.0');
    assert.strictEqual(result.publishedVersion, 2);
    assert.deepStrictEqual(readdirSync(path.join(modelDir, '2')), ['model.tflite']);
    assert.deepStrictEqual(readdirSync(modelDir).sort(), ['1', '2'], 'no staging folder left');
    const after = result.report.after.tflite!;
    assert.ok(after.tensorsByType.INT8.constantBytes > 400_000, JSON.stringify(after.tensorsByType));
    // 445,000 float32 weights (1.8 MB) become one byte each.
    assert.ok(result.report.after.modelFileBytes < 0.3 * 4 * after.tensorsByType.INT8.constantBytes, `${result.report.after.modelFileBytes} bytes`);
  });

  it('float16 on the classifier: float16 weights with DEQUANTIZE, about 2x smaller', async () => {
    const { result } = await zooConversion('classifier-float16');
    const after = result.report.after.tflite!;
    assert.ok(after.tensorsByType.FLOAT16.constantBytes > 800_000, JSON.stringify(after.tensorsByType));
    assert.ok((after.operators.DEQUANTIZE ?? 0) > 0);
    const dynamic = (await zooConversion('classifier-dynamic')).result.report.after;
    const ratio = after.tensorsByType.FLOAT16.constantBytes / dynamic.tflite!.tensorsByType.INT8.constantBytes;
    assert.ok(Math.abs(ratio - 2) < 0.01, `float16 weights are twice the int8 ones: ${ratio}`);
    assert.ok(result.report.after.modelFileBytes > dynamic.modelFileBytes * 1.8);
  });

  it('int8 with a JSON dataset (classifier, two inputs) and with a .npy dataset (CNN): QUANTIZE/DEQUANTIZE at the edges', async () => {
    const json = await zooConversion('classifier-int8');
    assert.strictEqual(json.result.samples?.count, 16);
    assert.ok((json.result.report.after.tflite!.operators.QUANTIZE ?? 0) >= 2);
    assert.deepStrictEqual(json.result.report.after.tflite!.inputTypes, ['FLOAT32', 'FLOAT32']);
    const npy = await zooConversion('cnn-int8');
    assert.strictEqual(npy.result.samples?.count, 8);
    assert.ok((npy.result.report.after.tflite!.operators.CONV_2D ?? 0) === 2);
    assert.ok(npy.result.report.after.tflite!.tensorsByType.INT8.tensors > 5);
    const io = await zooConversion('classifier-int8-io');
    assert.deepStrictEqual([io.result.report.after.tflite!.inputTypes, io.result.report.after.tflite!.outputTypes], [['INT8', 'INT8'], ['INT8']]);
  });

  it('every builtin-only output loads in the TFLite interpreter (LiteRT) and answers a request', async () => {
    const names = ['classifier-dynamic', 'classifier-float16', 'classifier-int8', 'classifier-int8-io', 'cnn-int8', 'two_sigs-lookup'] as const;
    const files = await Promise.all(names.map(async (n) => (await zooConversion(n)).tfliteFile));
    const answers = await answerRequests(files);
    for (const file of files.slice(0, 3)) assert.deepStrictEqual(outputsOf(answers[file]), { output_0: { shape: [1, 10], dtype: 'float32', finite: true } });
    assert.deepStrictEqual(outputsOf(answers[files[3]]), { output_0: { shape: [1, 10], dtype: 'int8', finite: true } });
    assert.deepStrictEqual(outputsOf(answers[files[4]]), { output_0: { shape: [1, 10], dtype: 'float32', finite: true } });
    assert.deepStrictEqual(outputsOf(answers[files[5]]), {
      count: { shape: [], dtype: 'int64', finite: true }, values: { shape: [1], dtype: 'float32', finite: true },
    });
  });

  it('the int64 "lookup" signature of a two-signature tf.Module converts on its own', async () => {
    const { result } = await zooConversion('two_sigs-lookup');
    assert.deepStrictEqual(result.report.after.tflite!.inputTypes, ['INT64']);
  });

  it('SELECT_TF_OPS on the string model converts, with Flex ops; LiteRT here has no Flex delegate to run them', async () => {
    const { result, tfliteFile } = await zooConversion('text-select');
    const flexOps = Object.keys(result.report.after.tflite!.operators).filter((op) => op.startsWith('Flex'));
    assert.ok(flexOps.length > 0, JSON.stringify(result.report.after.tflite!.operators));
    assert.ok(result.warnings.some((w) => /tens of MB/.test(w)));
    const answer = (await answerRequests([tfliteFile]))[tfliteFile];
    assert.ok('error' in answer && /Select TensorFlow op\(s\).*not supported by this interpreter/s.test(answer.error),
      'TensorFlow 2.20+ pip packages ship no Flex delegate (LiteRT issue 6458); if this starts answering, update the README');
  });

  it('builtins only: the string model and the Erf model fail in plain words naming the ops, with the SELECT_TF_OPS hint', async () => {
    const zoo = await tensorflowZoo();
    for (const [model, op] of [['erf', 'Erf'], ['text', 'StringLower']] as const) {
      const repo = zooRepository(zoo, model);
      try {
        const e = await conversionError(runConversion({ versionDir: repo.versionDir, options: tflite({ quantize: 'none' }), runner: venvRunner(), destination: { kind: 'next-version' } }));
        assert.strictEqual(e.kind, 'unsupported-ops', e.message);
        assert.ok(e.ops.includes(op), `${model}: ${e.ops.join(', ')}`);
        assert.match(e.message, new RegExp(`^TFLite cannot convert these ops: .*${op}`));
        assert.match(e.hint!, /SELECT_TF_OPS \(TFLITE_BUILTINS \+ SELECT_TF_OPS\) may help/);
        assert.deepStrictEqual(readdirSync(repo.modelDir), ['1'], 'nothing published');
      } finally {
        repo.cleanup();
      }
    }
    const withFlex = await zooConversion('erf-select');
    assert.ok(Object.keys(withFlex.result.report.after.tflite!.operators).includes('FlexErf'));
  });

  it('int8 on a Keras 3 model saved with tf.saved_model.save: the calibration failure in plain words, with the model.export() fix', async () => {
    await withZooRepository('cnn_tfsave', async (repo, zoo) => {
      const e = await conversionError(runConversion({
        versionDir: repo.versionDir, options: tflite({ quantize: 'int8', representativeDataset: zoo.samples('cnn') }), runner: venvRunner(), destination: { kind: 'next-version' },
      }));
      assert.strictEqual(e.kind, 'converter-failed');
      assert.match(e.message, /^Calibration stopped at a variable the converter left unfrozen \(READ_VARIABLE\)/);
      assert.match(e.hint!, /model\.export\(dir\)/);
      assert.deepStrictEqual(readdirSync(repo.modelDir), ['1']);
    });
  });

  it('cancel while TensorFlow converts: the process group ends, no version and no staging folder is left', async () => {
    await withZooRepository('classifier', async (repo, zoo) => {
      const controller = new AbortController();
      let abortedAt = 0;
      const e = await conversionError(runConversion({
        versionDir: repo.versionDir, options: tflite({ quantize: 'int8', representativeDataset: zoo.samples('classifier') }), runner: venvRunner(),
        destination: { kind: 'next-version' }, signal: controller.signal,
        // The script's first event says TensorFlow imported: the converter is about to run.
        onLine: (l) => { if (!abortedAt && l.text.includes('"event": "tensorflow"')) { abortedAt = Date.now(); controller.abort(); } },
      }));
      assert.strictEqual(e.kind, 'cancelled');
      assert.ok(abortedAt > 0, 'cancelled while the script ran');
      assert.ok(Date.now() - abortedAt < 5000, `ended ${Date.now() - abortedAt} ms after the abort`);
      assert.deepStrictEqual(readdirSync(repo.modelDir), ['1']);
    });
  });

  it('CLI: convert --python .venv/bin/python publishes the next version and prints the report', async () => {
    await withZooRepository('cnn', async (repo, zoo) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await convertCommand.run([repo.versionDir, '--to', 'tflite', '--quantize', 'float16', '--python', venvPython()],
        { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, cwd: repo.root });
      assert.strictEqual(code, 0, err.join('\n'));
      assert.ok(statSync(path.join(repo.modelDir, '2', 'model.tflite')).size > 5_000);
      assert.match(out.join('\n'), /FLOAT16/);
    });
  });

  it('preflight says plainly when the interpreter has no TensorFlow, or there is no interpreter at that path', async () => {
    const { LocalPythonRunner } = await import('../../src/core/convert/localPythonRunner');
    const bare = await conversionError(new LocalPythonRunner({ python: 'python3', env: { ...process.env, PYTHONPATH: '' } }).preflight('tflite'));
    assert.strictEqual(bare.kind, 'tensorflow-missing');
    assert.match(bare.message, /cannot import TensorFlow: ModuleNotFoundError: No module named 'tensorflow'/);
    assert.match(bare.hint!, /pip install tensorflow.*Docker runner/);
    const none = await conversionError(new LocalPythonRunner({ python: '/nonexistent/python3' }).preflight('tflite'));
    assert.strictEqual(none.kind, 'python-missing');
    assert.match(none.message, /No Python interpreter at "\/nonexistent\/python3"/);
    assert.strictEqual(await venvRunner().preflight('tflite'), '2.21.0');
    const trt = await conversionError(venvRunner().preflight('tensorrt'));
    assert.match(trt.message, /TensorFlow 2\.21\.0, which no longer includes TF-TRT/);
  });

  it('the unsupported-op parser reads the wordings of older TensorFlow releases (the script\'s own function, real Python)', async () => {
    const script = generateConversionScript(tflite({}), { paths: { savedModelDir: '/m', output: '/o/model.tflite' } }).split('\nif __name__')[0];
    const file = path.join(require('os').tmpdir(), `tfss-parser-${process.pid}.py`);
    writeFileSync(file, `${script}\nimport json\nprint(json.dumps([unsupported_ops(t) for t in json.loads(sys.argv[1])]))\n`);
    const texts = [
      // TF 2.2-2.4
      'Some ops are not supported by the native TFLite runtime, ops that can be supported by the flex runtime (enabled via setting the -emit-select-tf-ops flag):\n\ttf.Erf {device = ""}\n\ttf.StringSplitV2 {device = ""}\n',
      // custom ops, and an op outside the Flex allowlist
      "Some ops in the model are custom ops, See instructions to implement custom ops\nCustom ops: MyCustomOp\nDetails:\n\ttf.MyCustomOp(tensor<?xf32>)",
      "<unknown>:0: error: 'tf.MyOtherOp' op is neither a custom op nor a flex op",
      // TOCO
      'Here is a list of operators for which you will need custom implementations: Erf, Bucketize.',
    ];
    const { stdout } = await runPython([file, JSON.stringify(texts)]);
    require('fs').rmSync(file, { force: true });
    assert.deepStrictEqual(JSON.parse(stdout), [[['Erf', 'StringSplitV2'], true], [['MyCustomOp'], false], [['MyOtherOp'], false], [['Erf', 'Bucketize'], false]]);
  });
});
