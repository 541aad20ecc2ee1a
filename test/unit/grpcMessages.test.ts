// The pure parts of the gRPC client: REST bodies ↔ TensorProtos, messages printed as REST prints them, gRPC
// statuses as plain messages, and the CLI's reading of server addresses.
import * as assert from 'assert';
import { grpcErrorOf } from '../../src/core/grpc/grpcError';
import { messageJson } from '../../src/core/grpc/protoJson';
import { predictInputsFromJson, predictResponseJson, tensorProtoFromJson, tensorProtoToJson } from '../../src/core/grpc/tensorJson';
import { tfServingProtoRoot } from '../../src/core/protos/tfServingProtos';
import { parseServingTarget } from '../../src/core/serving/servingEndpoint';

describe('gRPC messages (pure)', () => {
  it('turns row and columnar REST bodies into TensorProtos of the signature\'s dtypes', () => {
    const sig = { x: { dtype: 'DT_FLOAT' } };
    assert.deepStrictEqual(predictInputsFromJson({ instances: [[1], [2.5]] }, sig), {
      inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '2' }, { size: '1' }] }, float_val: [1, 2.5] } }, signatureName: 'serving_default', format: 'row',
    });
    const two = { ids: { dtype: 'DT_INT64' }, text: { dtype: 'DT_STRING' } };
    const named = predictInputsFromJson({ signature_name: 'sig', instances: [{ ids: [1, 2], text: 'a' }, { ids: [3, 4], text: { b64: 'AAE=' } }] }, two);
    assert.strictEqual(named.signatureName, 'sig');
    assert.deepStrictEqual(named.inputs.ids, { dtype: 'DT_INT64', tensor_shape: { dim: [{ size: '2' }, { size: '2' }] }, int64_val: ['1', '2', '3', '4'] });
    assert.deepStrictEqual(named.inputs.text.string_val, [Buffer.from('a').toString('base64'), 'AAE=']);
    const cols = predictInputsFromJson({ inputs: { ids: [[7]], text: ['z'] } }, two);
    assert.strictEqual(cols.format, 'columnar');
    assert.deepStrictEqual(tensorProtoFromJson(true, 'DT_BOOL', 'b'), { dtype: 'DT_BOOL', tensor_shape: { dim: [] }, bool_val: [true] });
  });

  it('refuses bodies TF Serving would refuse, saying what is wrong', () => {
    const sig = { x: { dtype: 'DT_FLOAT' } };
    assert.throws(() => predictInputsFromJson({ instances: [[1]], inputs: [[1]] }, sig), /Not both 'instances' and 'inputs'/);
    assert.throws(() => predictInputsFromJson({}, sig), /Missing 'inputs' or 'instances' key/);
    assert.throws(() => predictInputsFromJson({ instances: [[1, 2], [3]] }, sig), /not all the same length/);
    assert.throws(() => predictInputsFromJson({ instances: [['a']] }, sig), /"a" is not a number for DT_FLOAT/);
    assert.throws(() => predictInputsFromJson({ instances: [{ y: [1] }] }, sig), /has no input named "y" \(it has x\)/);
    assert.throws(() => predictInputsFromJson({ instances: [[1]] }, { a: { dtype: 'DT_FLOAT' }, b: { dtype: 'DT_FLOAT' } }), /has 2 inputs \(a, b\): name them/);
    assert.throws(() => tensorProtoFromJson([1.5], 'DT_INT32', 'n'), /1.5 is not an integer for DT_INT32/);
    assert.throws(() => tensorProtoFromJson([1], 'DT_HALF', 'h'), /DT_HALF cannot be sent as JSON/);
  });

  it('prints outputs as REST does: predictions per row, outputs per column, tensor_content and one-value shorthand too', () => {
    const y = { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '2' }, { size: '1' }] }, float_val: [2.5, Math.fround(2.05)] };
    const n = { dtype: 'DT_INT64', tensor_shape: { dim: [{ size: '2' }] }, int64_val: ['7', '8'] };
    assert.deepStrictEqual(predictResponseJson({ y }, 'row'), { predictions: [[2.5], [2.05]] });
    assert.deepStrictEqual(predictResponseJson({ y, n }, 'row'), { predictions: [{ n: 7, y: [2.5] }, { n: 8, y: [2.05] }] });
    assert.deepStrictEqual(predictResponseJson({ y }, 'columnar'), { outputs: [[2.5], [2.05]] });
    assert.deepStrictEqual(predictResponseJson({ y, n }, 'columnar'), { outputs: { n: [7, 8], y: [[2.5], [2.05]] } });
    const content = Buffer.alloc(8); content.writeFloatLE(1.5, 0); content.writeFloatLE(-2, 4);
    assert.deepStrictEqual(tensorProtoToJson({ dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '1' }, { size: '2' }] }, tensor_content: content.toString('base64') }), [[1.5, -2]]);
    assert.deepStrictEqual(tensorProtoToJson({ dtype: 'DT_INT32', tensor_shape: { dim: [{ size: '3' }] }, int_val: [4] }), [4, 4, 4]);
    assert.deepStrictEqual(tensorProtoToJson({ dtype: 'DT_STRING', tensor_shape: { dim: [{ size: '1' }] }, string_val: ['AAE='] }, 'img_bytes'), [{ b64: 'AAE=' }]);
    assert.throws(() => predictResponseJson({ y, z: { ...n, tensor_shape: { dim: [{ size: '3' }] }, int64_val: ['1', '2', '3'] } }, 'row'), /different batch sizes \(y: 2, z: 3\)/);
  });

  it('prints messages with every plain field, unset messages and oneofs left out, int64 as strings, enums by name', async () => {
    const root = await tfServingProtoRoot();
    const status = root.lookupType('tensorflow.serving.GetModelStatusResponse');
    assert.deepStrictEqual(messageJson(status, { model_version_status: [{ version: '3', state: 'AVAILABLE', status: {} }, { version: '2' }] }), {
      model_version_status: [
        { version: '3', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
        { version: '2', state: 'UNKNOWN' },
      ],
    });
    const spec = root.lookupType('tensorflow.serving.ModelSpec');
    assert.deepStrictEqual(messageJson(spec, { name: 'm', version: { value: '12' } }), { name: 'm', signature_name: '', version: '12' });
    assert.deepStrictEqual(messageJson(spec, { name: 'm', version_label: 'canary' }), { name: 'm', signature_name: '', version_label: 'canary' });
  });

  it('says gRPC failures as "STATUS: text", with what to do where that is known', () => {
    assert.strictEqual(grpcErrorOf({ code: 5, details: 'Servable not found for request: Latest(m)' }, 'h:1', 'P/Predict', 1000).message, 'NOT_FOUND: Servable not found for request: Latest(m)');
    const deadline = grpcErrorOf({ code: 4, details: 'Deadline exceeded' }, '127.0.0.1:8500', 'tensorflow.serving.ModelService/GetModelStatus', 2000);
    assert.strictEqual(deadline.message, 'DEADLINE_EXCEEDED: tensorflow.serving.ModelService/GetModelStatus on 127.0.0.1:8500 got no answer within 2000 ms.');
    assert.match(grpcErrorOf({ code: 14, details: 'No connection established' }, '127.0.0.1:8500', 'x', 1).hint ?? '', /gRPC port \(8500 in the container\) published/);
    assert.strictEqual(grpcErrorOf({ code: 99 }, 'a', 'b', 1).status, 'UNKNOWN');
  });

  it('reads server addresses for REST and gRPC, refusing ones without a port', () => {
    assert.strictEqual(parseServingTarget('127.0.0.1:8501', 'rest'), 'http://127.0.0.1:8501');
    assert.strictEqual(parseServingTarget('https://serving.example/', 'rest'), 'https://serving.example');
    assert.strictEqual(parseServingTarget('grpc://127.0.0.1:8500', 'grpc'), '127.0.0.1:8500');
    assert.strictEqual(parseServingTarget('[::1]:8500', 'grpc'), '[::1]:8500');
    assert.throws(() => parseServingTarget('localhost', 'grpc'), /not a gRPC address: give host:port/);
    assert.throws(() => parseServingTarget('localhost', 'rest'), /not a REST address/);
  });
});
