// `inspect --json` against what TF Serving prints for GetModelMetadata: the SignatureDefMap through protobuf's own
// JSON printer with TF Serving's options (field names as in the .proto, fields without presence printed even when
// empty: the recorded answer in test/fixtures/tf-serving/half_plus_two_model_metadata.json shows both, e.g.
// `"defaults": {}` and `"unknown_rank": false`). Done here by the venv's protobuf and tensorflow_serving.apis, for
// every SavedModel fixture and zoo model, including the TF2 model whose serving_default records a default for x.
import * as assert from 'assert';
import { writeFileSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspectVersion } from '../../src/core/model/modelInspector';
import { signatureDefMapJson } from '../../src/core/model/signatureDefJson';
import type { SavedModelSummary } from '../../src/core/model/modelInspector';
import { REPO, runPython, tensorflowZoo } from './tensorflowZoo';

const PRINTER = String.raw`
import json, sys
from google.protobuf import json_format
from tensorflow.core.protobuf import saved_model_pb2
from tensorflow_serving.apis import get_model_metadata_pb2
out = {}
for pb in sys.argv[1:]:
    model = saved_model_pb2.SavedModel()
    model.ParseFromString(open(pb, "rb").read())
    graph = next(g for g in model.meta_graphs if "serve" in g.meta_info_def.tags)
    sigs = get_model_metadata_pb2.SignatureDefMap()
    for key, sig in graph.signature_def.items():
        sigs.signature_def[key].CopyFrom(sig)
    out[pb] = json.loads(json_format.MessageToJson(sigs, preserving_proto_field_name=True, always_print_fields_with_no_presence=True))
print(json.dumps(out))
`;

describe('inspect --json equals protobuf\'s JSON of the SignatureDefMap, as TF Serving prints it', function () {
  this.timeout(300_000);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tfss-inspect-json-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('for TF Serving\'s SavedModel fixtures (TF1 and TF2, signature defaults) and every zoo model', async () => {
    const zoo = await tensorflowZoo();
    const fixtures = path.join(REPO, 'test', 'fixtures', 'tf-serving');
    const dirs = [
      path.join(fixtures, 'saved_model_half_plus_two_cpu', '00000123'),
      path.join(fixtures, 'saved_model_half_plus_two_tf2_cpu', '00000123'),
      path.join(fixtures, 'saved_model_half_plus_two_2_versions', '00000124'),
      ...(['classifier', 'cnn', 'cnn_tfsave', 'text', 'two_sigs', 'erf'] as const).map((m) => zoo.versionDir(m)),
    ];
    const printer = path.join(scratch, 'print_signature_defs.py');
    writeFileSync(printer, PRINTER);
    const pbs = dirs.map((d) => path.join(d, 'saved_model.pb'));
    const expected = JSON.parse((await runPython([printer, ...pbs])).stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    for (const [dir, pb] of dirs.map((d, i) => [d, pbs[i]] as const)) {
      const summary = (await inspectVersion(dir)) as SavedModelSummary;
      const ours = signatureDefMapJson(summary.servingMetaGraph!);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(ours)), expected[pb], dir);
    }
    // The TF2 model's default is printed as TF Serving prints a TensorProto: every field without presence.
    const tf2 = expected[pbs[1]] as { signature_def: Record<string, { defaults: Record<string, Record<string, unknown>> }> };
    assert.deepStrictEqual(tf2.signature_def.serving_default.defaults.x.float_val, [0]);
    assert.strictEqual(tf2.signature_def.serving_default.defaults.x.tensor_content, '');
  });
});
