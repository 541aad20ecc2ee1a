import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { ProtobufDecodeError, ProtobufReader } from '../../src/core/model/protobufReader';
import { ProtobufWriter } from '../../src/core/model/protobufWriter';
import { countOp, decodeSavedModel, findMetaGraph, requireMetaGraph } from '../../src/core/model/savedModelDecoder';
import { float32Json, signatureDefMapJson } from '../../src/core/model/signatureDefJson';
import { decodeSavedModelText } from '../../src/core/model/savedModelTextDecoder';
import { ModelDecodeError } from '../../src/core/model/modelDecodeError';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/tf-serving');
const pb = (model: string, version = '00000123') => new Uint8Array(readFileSync(path.join(fixtures, model, version, 'saved_model.pb')));

describe('protobuf reader', () => {
  it('reads 64-bit varints exactly, including -1 as ten bytes', () => {
    const bytes = new ProtobufWriter().varint(-1).varintBig(2n ** 63n + 5n).varint(300).finish();
    assert.strictEqual(bytes.length, 10 + 10 + 2);
    const r = new ProtobufReader(bytes);
    assert.strictEqual(r.readInt64(), -1);
    assert.strictEqual(r.readVarintBig(), 2n ** 63n + 5n);
    assert.strictEqual(r.readUint32(), 300);
    assert.ok(r.done);
  });

  it('reads int32 enums sign-extended and fixed-width values', () => {
    const w = new ProtobufWriter().int(1, -2).float(2, 0.5).double(3, -1.25);
    const r = new ProtobufReader(w.finish());
    assert.deepStrictEqual(r.readTag(), { field: 1, wireType: 0 });
    assert.strictEqual(r.readInt32(), -2);
    r.readTag();
    assert.strictEqual(r.readFloat(), 0.5);
    r.readTag();
    assert.strictEqual(r.readDouble(), -1.25);
  });

  it('skips unknown fields of every wire type, nested groups included', () => {
    const w = new ProtobufWriter()
      .int(7, 123456789)
      .double(8, 1)
      .float(9, 1)
      .string(10, 'skip me')
      // group 11 containing a varint and a nested group 12
      .tag(11, 3).int(1, 5).tag(12, 3).string(2, 'x').tag(12, 4).tag(11, 4)
      .string(1, 'kept');
    const r = new ProtobufReader(w.finish());
    let kept = '';
    while (!r.done) {
      const t = r.readTag();
      if (t.field === 1) kept = r.readString();
      else r.skipField(t);
    }
    assert.strictEqual(kept, 'kept');
  });

  it('rejects truncation, over-long varints, bad tags and mismatched groups with ProtobufDecodeError', () => {
    const cases: [string, Uint8Array][] = [
      ['truncated varint', Uint8Array.from([0x08, 0x80])],
      ['length past end', Uint8Array.from([0x0a, 0x05, 0x61])],
      ['eleven-byte varint', Uint8Array.from([0x08, ...Array(10).fill(0xff), 0x01])],
      ['field number 0', Uint8Array.from([0x00, 0x01])],
      ['wire type 6', Uint8Array.from([0x0e])],
      ['unmatched end group', Uint8Array.from([0x0c])],
      ['group never closed', Uint8Array.from([0x0b, 0x08, 0x01])],
      ['group closed by another field', Uint8Array.from([0x0b, 0x14])],
      ['truncated fixed64', Uint8Array.from([0x09, 1, 2, 3])],
    ];
    for (const [name, bytes] of cases) {
      assert.throws(
        () => {
          const r = new ProtobufReader(bytes);
          while (!r.done) r.skipField(r.readTag());
        },
        ProtobufDecodeError,
        name,
      );
    }
  });

  it('refuses nesting deeper than 100 levels instead of overflowing the stack', () => {
    let inner = new ProtobufWriter().string(1, 'leaf').finish();
    for (let i = 0; i < 150; i++) inner = new ProtobufWriter().bytes(1, inner).finish();
    const descend = (r: ProtobufReader): void => {
      while (!r.done) {
        const t = r.readTag();
        if (t.wireType === 2) descend(r.readMessage());
        else r.skipField(t);
      }
    };
    assert.throws(() => descend(new ProtobufReader(inner)), /nesting deeper than 100/);
    const groups = new ProtobufWriter();
    for (let i = 0; i < 200; i++) groups.tag(1, 3);
    const r = new ProtobufReader(groups.finish());
    assert.throws(() => r.skipField(r.readTag()), /nesting deeper than 100/);
  });
});

describe('SavedModel decoder', () => {
  it("renders TF Serving's exact metadata signature_def for saved_model_half_plus_two_cpu", () => {
    const expected = JSON.parse(readFileSync(path.join(fixtures, 'half_plus_two_model_metadata.json'), 'utf8')).metadata.signature_def;
    const model = decodeSavedModel(pb('saved_model_half_plus_two_cpu'));
    const actual = signatureDefMapJson(requireMetaGraph(model));
    assert.deepStrictEqual(actual, expected);
    assert.strictEqual(Object.keys(actual.signature_def as object).length, 5);
    // Key order inside each tensor follows TF Serving's printer: dtype, tensor_shape, then the name oneof.
    const x = (actual.signature_def as any).serving_default.inputs.x;
    assert.deepStrictEqual(Object.keys(x), ['dtype', 'tensor_shape', 'name']);
    assert.deepStrictEqual(Object.keys((actual.signature_def as any).serving_default), ['inputs', 'outputs', 'method_name', 'defaults']);
  });

  it('reads tags, TensorFlow version and the op histogram of the TF1 model', () => {
    const model = decodeSavedModel(pb('saved_model_half_plus_two_cpu'));
    assert.strictEqual(model.schemaVersion, 1);
    assert.strictEqual(model.metaGraphs.length, 1);
    const g = model.metaGraphs[0];
    assert.deepStrictEqual(g.tags, ['serve']);
    assert.strictEqual(g.tensorflowVersion, '1.14.0');
    // y = 0.5 * x + 2 appears once per output head (y, y2, y3): three Mul and three Add nodes.
    assert.strictEqual(g.graph.opHistogram.Mul, 3);
    assert.strictEqual(g.graph.opHistogram.Add, 3);
    assert.strictEqual(g.graph.opHistogram.Placeholder, 1);
    assert.strictEqual(Object.values(g.graph.opHistogram).reduce((a, b) => a + b, 0), g.graph.nodeCount);
    assert.strictEqual(g.graph.functionCount, 0);
  });

  it('decodes the TF2 model: init-op signature, signature defaults, ops inside library functions', () => {
    const model = decodeSavedModel(pb('saved_model_half_plus_two_tf2_cpu'));
    const g = requireMetaGraph(model);
    assert.strictEqual(g.tensorflowVersion, '2.14.0');
    assert.ok(g.hasObjectGraph);
    const keys = g.signatures.map((s) => s.key).sort();
    assert.deepStrictEqual(keys, ['__saved_model_init_op', 'classify_x2_to_y3', 'classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default']);
    const json = signatureDefMapJson(g).signature_def as any;
    assert.deepStrictEqual(json.__saved_model_init_op, {
      inputs: {},
      outputs: { __saved_model_init_op: { dtype: 'DT_INVALID', tensor_shape: { dim: [], unknown_rank: true }, name: 'NoOp' } },
      method_name: '',
      defaults: {},
    });
    assert.deepStrictEqual(json.serving_default.inputs.x, {
      dtype: 'DT_FLOAT',
      tensor_shape: { dim: [{ size: '1', name: '' }], unknown_rank: false },
      name: 'serving_default_x:0',
    });
    // The TF2 export records a default for x (a float tensor holding 0).
    const dflt = json.serving_default.defaults.x;
    assert.strictEqual(dflt.dtype, 'DT_FLOAT');
    assert.deepStrictEqual(dflt.float_val, [0]);
    assert.deepStrictEqual(dflt.tensor_shape, { dim: [{ size: '1', name: '' }], unknown_rank: false });
    assert.strictEqual(dflt.tensor_content, '');
    // In TF2 the math lives in functions: Mul/AddV2 there, not in the top-level graph.
    assert.strictEqual(g.graph.opHistogram.Mul, undefined);
    assert.ok(g.graph.functionCount > 0);
    assert.ok(countOp(g.graph, 'Mul') >= 1);
    assert.strictEqual(countOp(g.graph, 'AddV2'), g.graph.functionOpHistogram.AddV2);
  });

  it('decodes both versions of saved_model_half_plus_two_2_versions with six signatures each', () => {
    for (const v of ['00000123', '00000124']) {
      const g = requireMetaGraph(decodeSavedModel(pb('saved_model_half_plus_two_2_versions', v)));
      assert.strictEqual(g.tensorflowVersion, '1.1.0-rc2');
      const json = signatureDefMapJson(g).signature_def as any;
      assert.deepStrictEqual(Object.keys(json).sort(), ['classify_x2_to_y3', 'classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default']);
      assert.deepStrictEqual(json.classify_x2_to_y3.outputs.scores.name, 'y3:0');
      assert.deepStrictEqual(json.regress_x_to_y.inputs.inputs.tensor_shape, { dim: [], unknown_rank: true });
    }
  });

  it('decodes the GPU/TRT fixture and counts its ops (no TRTEngineOp: it was saved without TF-TRT conversion)', () => {
    const g = requireMetaGraph(decodeSavedModel(pb('saved_model_half_plus_two_gpu_trt')));
    assert.strictEqual(g.tensorflowVersion, '2.2.0');
    assert.strictEqual(countOp(g.graph, 'TRTEngineOp'), 0);
    assert.strictEqual(g.graph.opHistogram.ParseExampleV2, 1);
    const json = signatureDefMapJson(g).signature_def as any;
    // Unlike the TF 1.14 export, this one records the serialized-Example input as rank 1.
    assert.deepStrictEqual(json.classify_x_to_y.inputs.inputs.tensor_shape, { dim: [{ size: '-1', name: '' }], unknown_rank: false });
  });

  it('counts TRTEngineOp nodes in the graph and inside library functions', () => {
    const node = (w: ProtobufWriter, op: string) => w.message(1, (n) => n.string(1, `n_${op}`).string(2, op));
    const bytes = new ProtobufWriter()
      .int(1, 1)
      .message(2, (mg) =>
        mg
          .message(1, (mi) => mi.string(4, 'serve').string(4, 'gpu'))
          .message(2, (gd) => {
            node(gd, 'TRTEngineOp');
            node(gd, 'Placeholder');
            node(gd, 'TRTEngineOp');
            gd.message(2, (lib) => lib.message(1, (fn) => fn.message(3, (n) => n.string(2, 'TRTEngineOp')).message(3, (n) => n.string(2, 'Identity'))));
          }),
      )
      .finish();
    const model = decodeSavedModel(bytes);
    assert.strictEqual(findMetaGraph(model), undefined, 'a {serve,gpu} graph is not the default {serve} graph');
    const g = requireMetaGraph(model, ['gpu', 'serve']);
    assert.deepStrictEqual(g.graph.opHistogram, { TRTEngineOp: 2, Placeholder: 1 });
    assert.deepStrictEqual(g.graph.functionOpHistogram, { TRTEngineOp: 1, Identity: 1 });
    assert.strictEqual(countOp(g.graph, 'TRTEngineOp'), 3);
    assert.throws(() => requireMetaGraph(model), /no MetaGraphDef with tags \{serve\}; the SavedModel has \{serve,gpu\}/);
  });

  it('merges graph_def when it occurs twice, as protobuf parsers merge a singular message field', () => {
    const node = (w: ProtobufWriter, op: string) => w.message(1, (n) => n.string(1, `n_${op}`).string(2, op));
    const bytes = new ProtobufWriter()
      .message(2, (mg) =>
        mg
          .message(1, (mi) => mi.string(4, 'serve'))
          .message(2, (gd) => { node(gd, 'Placeholder'); node(gd, 'MatMul'); gd.message(4, (v) => v.int(1, 10)); })
          .message(2, (gd) => {
            node(gd, 'MatMul');
            gd.message(2, (lib) => lib.message(1, (fn) => fn.message(3, (n) => n.string(2, 'Relu'))));
            gd.message(4, (v) => v.int(1, 27));
          }),
      )
      .finish();
    const g = requireMetaGraph(decodeSavedModel(bytes)).graph;
    assert.strictEqual(g.nodeCount, 3);
    assert.deepStrictEqual(g.opHistogram, { Placeholder: 1, MatMul: 2 });
    assert.strictEqual(g.functionCount, 1);
    assert.deepStrictEqual(g.functionOpHistogram, { Relu: 1 });
    assert.strictEqual(g.producer, 27, 'a scalar seen twice: the last value wins');
  });

  it('prints sparse encodings and missing shapes the proto3 JSON way', () => {
    const bytes = new ProtobufWriter()
      .message(2, (mg) =>
        mg.message(1, (mi) => mi.string(4, 'serve')).message(5, (e) =>
          e.string(1, 'sig').message(2, (sd) =>
            sd
              .message(1, (m) => m.string(1, 'sp').message(2, (ti) => ti.int(2, 9).message(4, (c) => c.string(1, 'v:0').string(2, 'i:0').string(3, 's:0'))))
              .message(2, (m) => m.string(1, 'out').message(2, (ti) => ti.string(1, 'o:0').int(2, 3)))
              .message(2, (m) => m.string(1, 'scalar').message(2, (ti) => ti.string(1, 's:0').int(2, 1).message(3, () => undefined)))
              .string(3, 'tensorflow/serving/predict'),
          ),
        ),
      )
      .finish();
    const json = signatureDefMapJson(requireMetaGraph(decodeSavedModel(bytes))).signature_def as any;
    assert.deepStrictEqual(json.sig.inputs.sp, {
      dtype: 'DT_INT64',
      coo_sparse: { values_tensor_name: 'v:0', indices_tensor_name: 'i:0', dense_shape_tensor_name: 's:0' },
    });
    // No tensor_shape on the wire: the key is left out, as the printer skips unset message fields.
    assert.deepStrictEqual(json.sig.outputs.out, { dtype: 'DT_INT32', name: 'o:0' });
    // An empty shape message (a scalar) is present: printed with its defaults.
    assert.deepStrictEqual(json.sig.outputs.scalar.tensor_shape, { dim: [], unknown_rank: false });
  });

  it('prints float32 values with the shortest round-tripping digits', () => {
    assert.strictEqual(float32Json(Math.fround(0.1)), 0.1);
    assert.strictEqual(float32Json(0.5), 0.5);
    assert.strictEqual(float32Json(NaN), 'NaN');
    assert.strictEqual(float32Json(-Infinity), '-Infinity');
  });
});

describe('SavedModel text format (saved_model.pbtxt)', () => {
  const text = `
# written by hand in TensorFlow's text format
saved_model_schema_version: 1
meta_graphs {
  meta_info_def { tags: "serve" tensorflow_version: "2.15.0" stripped_op_list { op { name: "Const" } } }
  graph_def {
    node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
    node { name: "y" op: "AddV2" input: ["x", "c"] }
    versions { producer: 1645 }
  }
  signature_def {
    key: "serving_default"
    value {
      inputs { key: "x" value { name: "serving_default_x:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } dim { size: 3 name: "feat" } } } }
      outputs: { key: "y" value: < name: 'y:0' dtype: DT_STRING tensor_shape { unknown_rank: true } > }
      method_name: "tensorflow/serving/" "predict"
      defaults { key: "x" value { dtype: DT_FLOAT tensor_shape { dim { size: 1 } } float_val: [0.25, inf] } }
    }
  }
}`;

  it('decodes signatures, tags and ops to the same structures as the binary format', () => {
    const model = decodeSavedModelText(text);
    const g = requireMetaGraph(model);
    assert.strictEqual(g.tensorflowVersion, '2.15.0');
    assert.deepStrictEqual(g.graph.opHistogram, { Placeholder: 1, AddV2: 1 });
    assert.strictEqual(g.graph.producer, 1645);
    const json = signatureDefMapJson(g).signature_def as any;
    assert.deepStrictEqual(json.serving_default.inputs.x, {
      dtype: 'DT_FLOAT',
      tensor_shape: { dim: [{ size: '-1', name: '' }, { size: '3', name: 'feat' }], unknown_rank: false },
      name: 'serving_default_x:0',
    });
    assert.deepStrictEqual(json.serving_default.outputs.y, { dtype: 'DT_STRING', tensor_shape: { dim: [], unknown_rank: true }, name: 'y:0' });
    assert.strictEqual(json.serving_default.method_name, 'tensorflow/serving/predict');
    assert.deepStrictEqual(json.serving_default.defaults.x.float_val, [0.25, 'Infinity']);
  });

  it('reports text-format errors as one-line ModelDecodeErrors', () => {
    for (const bad of ['meta_graphs {', 'meta_graphs { meta_info_def { tags: serve } }', 'saved_model_schema_version: "x"', 'meta_graphs { signature_def { key: "a\\q" } }']) {
      assert.throws(() => decodeSavedModelText(bad), (e: unknown) => e instanceof ModelDecodeError && !e.message.includes('\n'), bad);
    }
  });
});
