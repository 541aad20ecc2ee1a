import * as assert from 'assert';
import {
  checkConversionOptions, optimizeModesExplanation, parseByteSize, selectTfOpsWarning, TENSORRT_RUNNER_IMAGE, TENSORRT_SERVING_IMAGE,
  TFLITE_RUNNER_IMAGE, type ConversionOptions,
} from '../../src/core/convert/conversionOptions';
import { ConversionError } from '../../src/core/convert/conversionError';

const tflite = (o: Partial<ConversionOptions & { target: 'tflite' }> = {}): ConversionOptions =>
  ({ target: 'tflite', quantize: 'dynamic', signatureKey: 'serving_default', selectTfOps: false, ...o }) as ConversionOptions;
const trt = (o: Record<string, unknown> = {}): ConversionOptions =>
  ({ target: 'tensorrt', precision: 'FP16', signatureKey: 'serving_default', maxWorkspaceBytes: 1 << 30, minimumSegmentSize: 3, ...o }) as ConversionOptions;

function rejects(options: ConversionOptions, pattern: RegExp): void {
  assert.throws(() => checkConversionOptions(options), (e: unknown) => e instanceof ConversionError && e.kind === 'invalid-options' && pattern.test(e.message));
}

describe('conversion options', () => {
  it('pins runner and serving images to TensorFlow 2.17 (TF-TRT was removed after 2.17)', () => {
    assert.strictEqual(TFLITE_RUNNER_IMAGE, 'tensorflow/tensorflow:2.21.0');
    assert.strictEqual(TENSORRT_RUNNER_IMAGE, 'tensorflow/tensorflow:2.17.0-gpu');
    assert.strictEqual(TENSORRT_SERVING_IMAGE, 'tensorflow/serving:2.17.0-gpu');
  });

  it('accepts each TFLite quantization with what it needs', () => {
    assert.deepStrictEqual(checkConversionOptions(tflite({ quantize: 'none' })), []);
    assert.deepStrictEqual(checkConversionOptions(tflite({ quantize: 'dynamic' })), []);
    assert.deepStrictEqual(checkConversionOptions(tflite({ quantize: 'float16' })), []);
    assert.deepStrictEqual(checkConversionOptions(tflite({ quantize: 'int8', representativeDataset: 'r.npy', integerOnlyIo: true })), []);
  });

  it('warns that SELECT_TF_OPS adds tens of MB', () => {
    const w = checkConversionOptions(tflite({ selectTfOps: true }));
    assert.deepStrictEqual(w, [selectTfOpsWarning]);
    assert.match(w[0], /tens of MB/);
  });

  it('refuses impossible TFLite combinations', () => {
    rejects(tflite({ quantize: 'int8' }), /needs a representative dataset/);
    rejects(tflite({ quantize: 'float16', representativeDataset: 'r.npy' }), /only used by int8/);
    rejects(tflite({ quantize: 'dynamic', integerOnlyIo: true }), /need int8 quantization/);
    rejects(tflite({ quantize: 'int8', representativeDataset: 'r.npy', integerOnlyIo: true, selectTfOps: true }), /SELECT_TF_OPS/);
    rejects(tflite({ quantize: 'OPTIMIZE_FOR_SIZE' as never }), /Unknown quantization/);
    rejects(tflite({ signatureKey: '' }), /signature key/);
  });

  it('explains why OPTIMIZE_FOR_SIZE/LATENCY are not separate choices', () => {
    assert.match(optimizeModesExplanation, /OPTIMIZE_FOR_SIZE and OPTIMIZE_FOR_LATENCY/);
    assert.match(optimizeModesExplanation, /same as Optimize\.DEFAULT/);
  });

  it('checks TF-TRT precision, calibration input, workspace and segment size', () => {
    const notes = checkConversionOptions(trt());
    assert.ok(notes.some((n) => n.includes('tensorflow/serving:2.17.0-gpu')), notes.join('\n'));
    assert.deepStrictEqual(checkConversionOptions(trt({ precision: 'INT8', calibrationInput: 'c.json' })).length, 2);
    rejects(trt({ precision: 'INT8' }), /INT8 needs calibration input/);
    rejects(trt({ precision: 'FP8' }), /Unknown TF-TRT precision/);
    rejects(trt({ maxWorkspaceBytes: 0 }), /positive number of bytes/);
    rejects(trt({ maxWorkspaceBytes: 1.5 }), /positive number of bytes/);
    rejects(trt({ minimumSegmentSize: 0 }), /at least 1/);
  });

  it('parses workspace sizes', () => {
    assert.strictEqual(parseByteSize('1073741824'), 1073741824);
    assert.strictEqual(parseByteSize('1GiB'), 1 << 30);
    assert.strictEqual(parseByteSize('512MiB'), 512 * 1024 * 1024);
    assert.strictEqual(parseByteSize('2g'), 2 * (1 << 30));
    assert.throws(() => parseByteSize('lots'), ConversionError);
  });
});
