import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { decodeTflite, type TfliteModel } from '../../src/core/model/tfliteDecoder';
import { tensorJson, tfliteModelJson } from '../../src/core/model/tfliteJson';
import { ModelDecodeError } from '../../src/core/model/modelDecodeError';
import { buildFlatBuffer, fb } from './decoderTestFlatBuffers';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/tf-serving');
const tflite = (model: string) => new Uint8Array(readFileSync(path.join(fixtures, model, '00000123', 'model.tflite')));

/** The constant float behind a tensor, read straight from the file bytes. */
function constantFloat(bytes: Uint8Array, m: TfliteModel, tensorName: string): number {
  const t = m.subgraphs[0].tensors.find((x) => x.name === tensorName)!;
  const b = m.buffers[t.buffer];
  assert.strictEqual(b.length, 4, `${tensorName} holds one float32`);
  return new DataView(bytes.buffer, bytes.byteOffset).getFloat32(b.offset, true);
}

describe('TFLite decoder', () => {
  it('decodes the TOCO half_plus_two model: y = 0.5 * x + 2 as MUL then ADD', () => {
    const bytes = tflite('saved_model_half_plus_two_tflite');
    const m = decodeTflite(bytes);
    assert.strictEqual(m.schemaVersion, 3);
    assert.strictEqual(m.description, 'TOCO Converted.');
    const sg = m.subgraphs[0];
    const byName = (n: string) => sg.tensors.findIndex((t) => t.name === n);
    assert.deepStrictEqual(sg.inputs, [byName('x')]);
    assert.deepStrictEqual(sg.outputs, [byName('y')]);
    assert.deepStrictEqual(sg.tensors[byName('x')].shape, [1, 1]);
    assert.ok(sg.tensors.every((t) => t.typeName === 'FLOAT32'));
    // The two constants are the slope and the intercept.
    assert.strictEqual(constantFloat(bytes, m, 'a'), 0.5);
    assert.strictEqual(constantFloat(bytes, m, 'b'), 2);
    assert.deepStrictEqual(sg.operators.map((o) => o.name), ['MUL', 'ADD']);
    const [mul, add] = sg.operators;
    assert.deepStrictEqual(mul.inputs.map((i) => sg.tensors[i].name).sort(), ['a', 'x']);
    assert.deepStrictEqual(add.inputs, [mul.outputs[0], byName('b')]);
    assert.deepStrictEqual(add.outputs, [byName('y')]);
    assert.deepStrictEqual(m.operatorHistogram, { MUL: 1, ADD: 1 });
    assert.deepStrictEqual(m.tensorsByType, { FLOAT32: { tensors: 5, constantTensors: 2, constantBytes: 8 } });
    // TOCO records the input's calibration range as min/max without scale.
    assert.deepStrictEqual(sg.tensors[byName('x')].quantization, { min: [0], max: [255], scale: [], zeroPoint: [], quantizedDimension: 0 });
    assert.deepStrictEqual(m.metadataNames, ['min_runtime_version']);
    // Weights are the two float32 constants; the other 5 buffer bytes are the "1.5.0" runtime-version string.
    assert.strictEqual(m.weightBytes, 8);
    assert.strictEqual(m.bufferBytes, 13);
    assert.strictEqual(m.signatures.length, 0);
    assert.strictEqual(m.servingSignatures, undefined);
  });

  it('decodes the MLIR model with TF Serving signature_defs_metadata', () => {
    const bytes = tflite('saved_model_half_plus_two_tflite_with_sigdef');
    const m = decodeTflite(bytes);
    assert.strictEqual(m.description, 'MLIR Converted.');
    assert.strictEqual(m.subgraphs[0].name, 'main');
    assert.strictEqual(constantFloat(bytes, m, 'a'), 0.5);
    assert.strictEqual(constantFloat(bytes, m, 'b'), 2);
    assert.deepStrictEqual(m.operatorHistogram, { MUL: 1, ADD: 1 });
    assert.deepStrictEqual(m.metadataNames, ['min_runtime_version', 'signature_defs_metadata']);
    assert.strictEqual(m.servingSignatures?.length, 1);
    assert.strictEqual(m.weightBytes, 8);
    const json = tfliteModelJson(m);
    // TF Serving serves the file's SignatureDef with tensor names pointed at tensors that exist ("tflite_input:0" → "tflite_input").
    assert.deepStrictEqual((json.signature_def as any).serving_default, {
      inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '1', name: '' }, { size: '1', name: '' }], unknown_rank: false }, name: 'tflite_input' } },
      outputs: { y: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '1', name: '' }, { size: '1', name: '' }], unknown_rank: false }, name: 'y' } },
      method_name: 'tensorflow/serving/predict',
      defaults: {},
    });
    assert.deepStrictEqual((json.tflite as any).inputs, [{ index: 0, name: 'tflite_input', type: 'FLOAT32', shape: [1, 1] }]);
  });

  it('resolves opcodes (deprecated_builtin_code vs builtin_code, custom ops) and summarises weights by type', () => {
    const opcode = (deprecated: number, builtin: number | undefined, custom?: string) => [
      fb.i8(deprecated),
      custom ? fb.str(custom) : undefined,
      fb.i32(1),
      builtin === undefined ? undefined : fb.i32(builtin),
    ];
    const tensor = (name: string, type: number, shape: number[] | undefined, buffer: number, extra: { sig?: number[]; q?: ReturnType<typeof fb.table> } = {}) => [
      shape ? fb.i32s(shape) : undefined, fb.i8(type), fb.u32(buffer), fb.str(name), extra.q, undefined, undefined, extra.sig ? fb.i32s(extra.sig) : undefined,
    ];
    const bytes = buildFlatBuffer([
      fb.u32(3),
      fb.tables([
        opcode(9, 9), // FULLY_CONNECTED, both fields agree
        opcode(127, 150), // GELU: builtin codes above 127 live only in builtin_code
        opcode(32, 32, 'MyCustomOp'),
        opcode(18, undefined), // old files: only deprecated_builtin_code (MUL)
      ]),
      fb.tables([
        [
          fb.tables([
            tensor('x', 9, [1, 4], 0, { sig: [-1, 4], q: fb.table([undefined, undefined, fb.f32s([0.5]), fb.i64s([-3n])]) }),
            tensor('w', 9, [2, 4], 1, { q: fb.table([undefined, undefined, fb.f32s([0.1, 0.2]), fb.i64s([0n, 0n]), undefined, undefined, fb.i32(0)]) }),
            tensor('h', 1, undefined, 2), // no shape recorded
            tensor('y', 0, [], 0), // a scalar
          ]),
          fb.i32s([0]),
          fb.i32s([3]),
          fb.tables([
            [fb.u32(0), fb.i32s([0, 1, 2]), fb.i32s([3])],
            [fb.u32(1), fb.i32s([3]), fb.i32s([3])],
            [fb.u32(2), fb.i32s([3]), fb.i32s([3])],
            [fb.u32(3), fb.i32s([3, 3]), fb.i32s([3])],
          ]),
          fb.str('main'),
        ],
      ]),
      fb.str('built by the test'),
      fb.tables([[fb.bytes(new Uint8Array(0))], [fb.bytes(new Uint8Array(8).fill(1))], [fb.bytes(new Uint8Array(4))]]),
      undefined,
      undefined,
      fb.tables([[fb.tables([[fb.str('input_1'), fb.u32(0)]]), fb.tables([[fb.str('output_0'), fb.u32(3)]]), fb.str('serving_default'), undefined, fb.u32(0)]]),
    ]);
    const m = decodeTflite(bytes);
    assert.deepStrictEqual(m.operatorCodes.map((c) => c.name), ['FULLY_CONNECTED', 'GELU', 'MyCustomOp', 'MUL']);
    assert.deepStrictEqual(m.operatorCodes.map((c) => c.builtinCode), [9, 150, 32, 18]);
    assert.strictEqual(m.operatorCodes[2].customCode, 'MyCustomOp');
    assert.deepStrictEqual(m.operatorHistogram, { FULLY_CONNECTED: 1, GELU: 1, MyCustomOp: 1, MUL: 1 });
    assert.deepStrictEqual(m.subgraphs[0].operators.map((o) => o.isCustom), [false, false, true, false]);
    const [x, w, h] = m.subgraphs[0].tensors;
    assert.deepStrictEqual(x.shapeSignature, [-1, 4]);
    assert.deepStrictEqual(x.quantization, { min: [], max: [], scale: [0.5], zeroPoint: [-3], quantizedDimension: 0 });
    assert.deepStrictEqual(w.quantization?.scale.map((s) => Number(s.toFixed(6))), [0.1, 0.2]);
    assert.strictEqual(w.bufferBytes, 8);
    assert.strictEqual(h.typeName, 'FLOAT16');
    // An absent shape and a scalar's empty shape read differently.
    const y = m.subgraphs[0].tensors[3];
    assert.deepStrictEqual([h.hasShape, h.shape, y.hasShape, y.shape], [false, [], true, []]);
    assert.deepStrictEqual([tensorJson(h).shape, tensorJson(y).shape], [null, []]);
    assert.strictEqual(m.weightBytes, 12);
    assert.strictEqual(m.bufferBytes, 12);
    assert.deepStrictEqual(m.tensorsByType, {
      INT8: { tensors: 2, constantTensors: 1, constantBytes: 8 },
      FLOAT16: { tensors: 1, constantTensors: 1, constantBytes: 4 },
      FLOAT32: { tensors: 1, constantTensors: 0, constantBytes: 0 },
    });
    assert.deepStrictEqual(m.signatures, [
      { key: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'input_1', tensorIndex: 0 }], outputs: [{ name: 'output_0', tensorIndex: 3 }] },
    ]);
    const json = tfliteModelJson(m);
    assert.deepStrictEqual((json.tflite as any).signatures, [
      {
        signature_key: 'serving_default',
        subgraph_index: 0,
        inputs: [{ key: 'input_1', tensor_index: 0, tensor_name: 'x' }],
        outputs: [{ key: 'output_0', tensor_index: 3, tensor_name: 'y' }],
      },
    ]);
    assert.deepStrictEqual((json.tflite as any).inputs[0].quantization, { scale: [0.5], zero_point: [-3], quantized_dimension: 0, min: [], max: [] });
  });

  it('rejects an opcode index that does not exist', () => {
    const bytes = buildFlatBuffer([
      fb.u32(3),
      fb.tables([[fb.i8(0)]]),
      fb.tables([[fb.tables([]), fb.i32s([]), fb.i32s([]), fb.tables([[fb.u32(5)]])]]),
    ]);
    assert.throws(() => decodeTflite(bytes), (e: unknown) => e instanceof ModelDecodeError && /opcode 5/.test(e.message));
  });
});
