// protos/ against the wheels it was printed from (tensorflow-serving-api and tensorflow-cpu in .venv/): printing
// again gives the same bytes, protoc compiles the folder to the wheels' exact schemas, and a message our protobufjs
// Root encodes is what TF Serving's own Python classes decode.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { protoIncludeDir, tfServingProtoRoot } from '../../src/core/protos/tfServingProtos';
import { REPO, runPython } from './tensorflowZoo';

const PRINTER = path.join(REPO, 'scripts', 'python', 'print_protos.py');

function protoFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = path.join(prefix, name);
    return statSync(path.join(dir, name)).isDirectory() ? protoFiles(path.join(dir, name), rel) : name.endsWith('.proto') ? [rel] : [];
  }).sort();
}

describe('TF Serving protos against the 2.21 wheels (integration, real TensorFlow)', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'tfs-protos-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the committed protos/ is exactly what print_protos.py prints from the wheels', async () => {
    await runPython([PRINTER, 'print', path.join(tmp, 'printed')]);
    const committed = protoFiles(protoIncludeDir());
    assert.deepEqual(protoFiles(path.join(tmp, 'printed')), committed);
    assert.ok(committed.length >= 50, `only ${committed.length} proto files`);
    for (const file of committed) {
      assert.equal(readFileSync(path.join(tmp, 'printed', file), 'utf8'), readFileSync(path.join(protoIncludeDir(), file), 'utf8'), file);
    }
  });

  it('protoc compiles protos/ to the same messages, fields and services as the wheels', async () => {
    const set = path.join(tmp, 'protos.pb');
    const dir = protoIncludeDir();
    const r = spawnSync('protoc', [`-I${dir}`, '--include_imports', `--descriptor_set_out=${set}`, ...protoFiles(dir)], { encoding: 'utf8' });
    if (r.error) throw new Error(`protoc not runnable (${r.error.message}); install it with: apt-get install protobuf-compiler`);
    assert.equal(r.status, 0, r.stderr);
    const { stdout } = await runPython([PRINTER, 'verify', set]);
    assert.match(stdout, /checked \d+ files; differing: none; missing: none/);
  });

  it('a PredictRequest encoded by our Root decodes in tensorflow_serving.apis.predict_pb2 to the same values', async () => {
    const root = await tfServingProtoRoot();
    const PredictRequest = root.lookupType('tensorflow.serving.PredictRequest');
    const message = PredictRequest.fromObject({
      model_spec: { name: 'half_plus_two', signature_name: 'serving_default', version: { value: 123 } },
      inputs: { x: { dtype: 1, tensor_shape: { dim: [{ size: 3 }] }, float_val: [1, 2, 5.5] } },
    });
    const file = path.join(tmp, 'request.bin');
    writeFileSync(file, PredictRequest.encode(message).finish());
    const { stdout } = await runPython(['-c', [
      'import sys, json',
      'from tensorflow_serving.apis import predict_pb2',
      'from google.protobuf import json_format',
      'r = predict_pb2.PredictRequest(); r.ParseFromString(open(sys.argv[1], "rb").read())',
      'print(json.dumps(json_format.MessageToDict(r, preserving_proto_field_name=True), sort_keys=True))',
    ].join('\n'), file]);
    assert.deepEqual(JSON.parse(stdout), {
      // json_format writes the Int64Value wrapper as its bare value.
      model_spec: { name: 'half_plus_two', signature_name: 'serving_default', version: '123' },
      inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '3' }] }, float_val: [1, 2, 5.5] } },
    });
  });
});
