import * as assert from 'assert';
import type { ConversionOptions } from '../../src/core/convert/conversionOptions';
import { generateConversionScript, SCRIPT_EVENT_PREFIX } from '../../src/core/convert/conversionScript';
import type { SampleSet } from '../../src/core/convert/sampleInputs';

const paths = { savedModelDir: '/models/m/1', output: '/out/model.tflite', samplesFile: '/data/s.json' };
const samples: SampleSet = { file: '/data/s.json', format: 'json', count: 2, inputs: [{ key: 'x', dtype: 1, numpyDtype: 'float32', sampleShape: [1, 4], rank: 2 }] };
const tflite = (o: Record<string, unknown>) => ({ target: 'tflite', quantize: 'dynamic', signatureKey: 'serving_default', selectTfOps: false, ...o }) as ConversionOptions;
const trt = (o: Record<string, unknown>) => ({ target: 'tensorrt', precision: 'FP16', signatureKey: 'serving_default', maxWorkspaceBytes: 1 << 30, minimumSegmentSize: 3, ...o }) as ConversionOptions;

/** The converter statements of a script, in order (comments and blank lines left out). */
function converterLines(script: string): string[] {
  return script.split('\n').map((l) => l.trim()).filter((l) => /^(converter\b|converter\.|tflite_model = |trt\.|from tensorflow\.python\.compiler)/.test(l) || l.startsWith('converter = '));
}

describe('conversion script generator', () => {
  it('dynamic range: from_saved_model with the signature, Optimize.DEFAULT, convert()', () => {
    const s = generateConversionScript(tflite({}), { paths });
    assert.deepStrictEqual(converterLines(s), [
      'converter = tf.lite.TFLiteConverter.from_saved_model(SAVED_MODEL_DIR, signature_keys=[SIGNATURE_KEY])',
      'converter.optimizations = [tf.lite.Optimize.DEFAULT]',
      'tflite_model = converter.convert()',
    ]);
    assert.match(s, /^SAVED_MODEL_DIR = "\/models\/m\/1"$/m);
    assert.match(s, /^OUTPUT_FILE = "\/out\/model\.tflite"$/m);
    assert.ok(!s.includes('OPTIMIZE_FOR_SIZE =') && !s.includes('Optimize.OPTIMIZE_FOR'), 'never uses the deprecated aliases');
    assert.ok(!s.includes('numpy'), 'no numpy without samples');
    assert.ok(s.includes(SCRIPT_EVENT_PREFIX.trim()));
  });

  it('float16, int8 (with and without int8 I/O) and SELECT_TF_OPS set exactly the documented attributes', () => {
    assert.deepStrictEqual(converterLines(generateConversionScript(tflite({ quantize: 'float16' }), { paths })).slice(1, 3), [
      'converter.optimizations = [tf.lite.Optimize.DEFAULT]', 'converter.target_spec.supported_types = [tf.float16]',
    ]);
    assert.deepStrictEqual(converterLines(generateConversionScript(tflite({ quantize: 'int8', integerOnlyIo: true }), { paths, samples })).slice(1, -1), [
      'converter.optimizations = [tf.lite.Optimize.DEFAULT]',
      'converter.representative_dataset = sample_inputs',
      'converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]',
      'converter.inference_input_type = tf.int8',
      'converter.inference_output_type = tf.int8',
    ]);
    assert.deepStrictEqual(converterLines(generateConversionScript(tflite({ quantize: 'none', selectTfOps: true }), { paths })).slice(1, -1), [
      'converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]',
    ]);
    assert.throws(() => generateConversionScript(tflite({ quantize: 'int8' }), { paths }), /needs checked sample inputs/);
  });

  it('samples: the JSON generator yields {input: array} with the signature dtype', () => {
    const s = generateConversionScript(tflite({ quantize: 'int8' }), { paths, samples });
    assert.match(s, /^SAMPLES_FILE = "\/data\/s\.json"$/m);
    assert.match(s, /^SAMPLE_INPUTS = \{"x": \("float32", 2\)\}$/m);
    assert.match(s, /value = np\.asarray\(row\[name\], dtype=dtype\)/);
    assert.match(s, /if rank is not None and value\.ndim == rank - 1:\n\s+value = value\[None\]/);
    assert.match(s, /data = np\.load\(SAMPLES_FILE\)/);
    assert.match(s, /yield \{name: data\[i:i \+ 1\]\.astype\(dtype\)\}/);
  });

  it('TF-TRT: TrtGraphConverterV2 keyword arguments, convert(), optional build(), save()', () => {
    const fp16 = generateConversionScript(trt({ maxWorkspaceBytes: 268435456, minimumSegmentSize: 7 }), { paths: { savedModelDir: '/model', output: '/output' } });
    assert.deepStrictEqual(converterLines(fp16), [
      'from tensorflow.python.compiler.tensorrt import trt_convert as trt',
      'converter = trt.TrtGraphConverterV2(',
      'converter.convert()',
      'converter.save(OUTPUT_DIR)',
    ]);
    for (const arg of ['input_saved_model_dir=SAVED_MODEL_DIR,', 'input_saved_model_signature_key=SIGNATURE_KEY,', 'precision_mode=trt.TrtPrecisionMode.FP16,',
      'max_workspace_size_bytes=268435456,', 'minimum_segment_size=7,', 'use_calibration=False,']) {
      assert.ok(fp16.includes(`        ${arg}\n`), arg);
    }
    const int8 = generateConversionScript(trt({ precision: 'INT8', calibrationInput: '/data/s.json' }), { paths: { ...paths, output: '/output' }, samples });
    assert.deepStrictEqual(converterLines(int8).slice(2), ['converter.convert(calibration_input_fn=sample_inputs)', 'converter.build(input_fn=sample_inputs)', 'converter.save(OUTPUT_DIR)']);
    assert.ok(int8.includes('        use_calibration=True,\n'));
    assert.match(int8, /TF-TRT was removed after TensorFlow 2\.17/);
  });

  it('writes odd paths as valid Python string literals', () => {
    const s = generateConversionScript(tflite({}), { paths: { savedModelDir: 'C:\\models\\"q"\\1', output: "/o/it's/model.tflite" } });
    assert.match(s, /^SAVED_MODEL_DIR = "C:\\\\models\\\\\\"q\\"\\\\1"$/m);
    assert.match(s, /^OUTPUT_FILE = "\/o\/it's\/model\.tflite"$/m);
  });
});
