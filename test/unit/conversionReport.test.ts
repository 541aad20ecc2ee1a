import * as assert from 'assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildConversionReport, renderConversionReport } from '../../src/core/convert/conversionReport';
import { buildFlatBuffer, fb, type FbTable } from './decoderTestFlatBuffers';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/tf-serving');
const version = (model: string) => path.join(fixtures, model, '00000123');

// TensorType / BuiltinOperator values from TFLite's schema.fbs.
const FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, INT8 = 9;
const DEQUANTIZE = 6, FULLY_CONNECTED = 9, QUANTIZE = 114;

/** A dense layer (8x8 kernel + bias) the way each converter mode stores it. */
function denseTflite(mode: 'float32' | 'float16' | 'int8'): Uint8Array {
  const units = 8;
  const buffers: FbTable[] = [[fb.bytes(new Uint8Array(0))]];
  const buffer = (bytes: number) => { buffers.push([fb.bytes(new Uint8Array(bytes).fill(1))]); return buffers.length - 1; };
  const tensors: FbTable[] = [];
  const q = (scale: number[], zp: number[]) => fb.table([undefined, undefined, fb.f32s(scale), fb.i64s(zp.map(BigInt)), undefined, undefined, fb.i32(0)]);
  const tensor = (name: string, type: number, shape: number[], buf = 0, quant?: ReturnType<typeof q>) => { tensors.push([fb.i32s(shape), fb.i8(type), fb.u32(buf), fb.str(name), quant]); return tensors.length - 1; };
  const codes: number[] = [];
  const ops: FbTable[] = [];
  const op = (code: number, inputs: number[], outputs: number[]) => {
    if (!codes.includes(code)) codes.push(code);
    ops.push([fb.u32(codes.indexOf(code)), fb.i32s(inputs), fb.i32s(outputs)]);
  };
  const x = tensor('x', FLOAT32, [1, units]);
  if (mode === 'float32') {
    op(FULLY_CONNECTED, [x, tensor('kernel', FLOAT32, [units, units], buffer(units * units * 4)), tensor('bias', FLOAT32, [units], buffer(units * 4))], [tensor('y', FLOAT32, [1, units])]);
  } else if (mode === 'float16') {
    const k = tensor('kernel_dequantize', FLOAT32, [units, units]);
    const b = tensor('bias_dequantize', FLOAT32, [units]);
    op(DEQUANTIZE, [tensor('kernel', FLOAT16, [units, units], buffer(units * units * 2))], [k]);
    op(DEQUANTIZE, [tensor('bias', FLOAT16, [units], buffer(units * 2))], [b]);
    op(FULLY_CONNECTED, [x, k, b], [tensor('y', FLOAT32, [1, units])]);
  } else {
    const xq = tensor('x_int8', INT8, [1, units], 0, q([0.0078125], [-1]));
    const channels = Array.from({ length: units }, (_, i) => 0.01 * (i + 1));
    const k = tensor('kernel', INT8, [units, units], buffer(units * units), q(channels, channels.map(() => 0)));
    const b = tensor('bias', INT32, [units], buffer(units * 4), q(channels.map((s) => s * 0.0078125), channels.map(() => 0)));
    const yq = tensor('y_int8', INT8, [1, units], 0, q([0.05], [-128]));
    op(QUANTIZE, [x], [xq]);
    op(FULLY_CONNECTED, [xq, k, b], [yq]);
    op(DEQUANTIZE, [yq], [tensor('y', FLOAT32, [1, units])]);
  }
  return buildFlatBuffer([
    fb.u32(3),
    fb.tables(codes.map((c) => [fb.i8(c), undefined, fb.i32(1), fb.i32(c)])),
    fb.tables([[fb.tables(tensors), fb.i32s([0]), fb.i32s([tensors.length - 1]), fb.tables(ops), fb.str('main')]]),
    fb.str('MLIR Converted.'),
    fb.tables(buffers),
  ]);
}

const scratch: string[] = [];

function versionWith(bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfss-report-'));
  scratch.push(dir);
  mkdirSync(path.join(dir, '1'));
  writeFileSync(path.join(dir, '1', 'model.tflite'), bytes);
  return path.join(dir, '1');
}

describe('conversion report', () => {
  after(() => { for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('SavedModel → TFLite (TF Serving fixtures): sizes, tensors by type, operators, compute ops that were in TensorFlow', async () => {
    const r = await buildConversionReport(version('saved_model_half_plus_two_cpu'), version('saved_model_half_plus_two_tflite'));
    assert.strictEqual(r.before.format, 'savedmodel');
    assert.strictEqual(r.after.format, 'tflite');
    assert.ok(r.before.totalBytes > r.before.modelFileBytes, 'variables and assets count in the version size');
    assert.strictEqual(r.after.totalBytes, r.after.modelFileBytes);
    assert.strictEqual(r.sizeRatio, r.after.totalBytes / r.before.totalBytes);
    assert.deepStrictEqual(r.after.tflite!.tensorsByType, { FLOAT32: { tensors: 5, constantTensors: 2, constantBytes: 8 } });
    assert.deepStrictEqual(r.after.tflite!.operators, { MUL: 1, ADD: 1 });
    assert.deepStrictEqual(r.after.tflite!.quantized, [], 'TOCO recorded min/max only, no scales');
    assert.strictEqual(r.before.savedModel!.trtEngineOps, 0);
    assert.ok(r.before.savedModel!.computeOps.Mul >= 1 && r.before.savedModel!.computeOps.Add >= 1, JSON.stringify(r.before.savedModel!.computeOps));
    assert.strictEqual(r.before.savedModel!.computeOps.Placeholder, undefined, 'bookkeeping ops are left out');
    assert.ok(r.findings.includes('2 weight tensor(s) still float32 (8 B).'), r.findings.join('\n'));
    const md = renderConversionReport(r);
    assert.match(md, /\| FLOAT32 \| — \| 5 \(2 weights, 8 B\) \|/);
    assert.match(md, /\| MUL \| — \| 1 \|/);
  });

  it('float32 TFLite → float16: weights counted as float16, DEQUANTIZE ops appear, half the weight bytes', async () => {
    const r = await buildConversionReport(versionWith(denseTflite('float32')), versionWith(denseTflite('float16')));
    assert.deepStrictEqual(r.before.tflite!.tensorsByType.FLOAT32, { tensors: 4, constantTensors: 2, constantBytes: 288 });
    assert.deepStrictEqual(r.after.tflite!.tensorsByType.FLOAT16, { tensors: 2, constantTensors: 2, constantBytes: 144 });
    assert.strictEqual(r.after.tflite!.tensorsByType.FLOAT32.constantTensors, 0);
    assert.strictEqual(r.before.tflite!.weightBytes, 288);
    assert.strictEqual(r.after.tflite!.weightBytes, 144);
    assert.deepStrictEqual(r.after.tflite!.operators, { DEQUANTIZE: 2, FULLY_CONNECTED: 1 });
    assert.ok(r.findings.includes('2 weight tensor(s) stored as float16 (144 B).'), r.findings.join('\n'));
    assert.match(renderConversionReport(r), /\| DEQUANTIZE \| 0 \| 2 \|/);
  });

  it('float32 TFLite → int8: int8 weights, per-channel scales, QUANTIZE/DEQUANTIZE at the edges', async () => {
    const r = await buildConversionReport(versionWith(denseTflite('float32')), versionWith(denseTflite('int8')));
    const after = r.after.tflite!;
    assert.deepStrictEqual(after.tensorsByType.INT8, { tensors: 3, constantTensors: 1, constantBytes: 64 });
    assert.deepStrictEqual(after.tensorsByType.INT32, { tensors: 1, constantTensors: 1, constantBytes: 32 });
    assert.deepStrictEqual(after.quantized.map((t) => [t.name, t.type, t.scales, t.perChannel]), [
      ['x_int8', 'INT8', 1, false], ['kernel', 'INT8', 8, true], ['bias', 'INT32', 8, true], ['y_int8', 'INT8', 1, false],
    ]);
    assert.strictEqual(after.quantized[0].firstZeroPoint, -1);
    assert.strictEqual(after.quantized[3].firstZeroPoint, -128);
    assert.ok(Math.abs(after.quantized[1].firstScale! - 0.01) < 1e-7);
    assert.deepStrictEqual(after.operators, { QUANTIZE: 1, FULLY_CONNECTED: 1, DEQUANTIZE: 1 });
    assert.deepStrictEqual([after.inputTypes, after.outputTypes], [['FLOAT32'], ['FLOAT32']]);
    assert.ok(r.findings.includes('1 weight tensor(s) stored as int8 (64 B).'), r.findings.join('\n'));
    assert.ok(r.findings.includes('4 tensor(s) carry quantization parameters (2 per-channel).'), r.findings.join('\n'));
    const md = renderConversionReport(r, 'int8');
    assert.match(md, /^# int8/);
    assert.match(md, /\| kernel \| INT8 \| 0\.0100000 \(\+7\) \| 0 \| yes \|/);
  });
});
