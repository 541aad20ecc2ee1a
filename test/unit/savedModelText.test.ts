import * as assert from 'assert';
import { decodeSavedModelText } from '../../src/core/model/savedModelTextDecoder';
import { savedModelText } from '../../bench/pbtxtFixture';

describe('saved_model.pbtxt reader', () => {
  it('reads a graph of Const nodes (skipping their tensor bytes) and the serving signature', () => {
    const text = savedModelText(200_000);
    const m = decodeSavedModelText(text);
    const g = m.metaGraphs[0];
    assert.deepStrictEqual(g.tags, ['serve']);
    assert.strictEqual(g.graph.nodeCount, (text.match(/ node \{/g) ?? []).length);
    assert.deepStrictEqual(g.graph.opHistogram, { Const: g.graph.nodeCount });
    assert.deepStrictEqual(g.signatures.map((s) => [s.key, s.inputs[0].key, s.inputs[0].shape?.dims.map((d) => d.size)]), [['serving_default', 'x', [-1, 8]]]);
  });

  it('keeps skipped fields in step: braces and quotes inside strings and comments, lists, angle brackets', () => {
    const text = `meta_graphs {
      meta_info_def { tags: "serve" }
      collection_def { key: "x}" value { bytes_list { value: ["{\\"", '>}'] } } }  # a } in a comment
      graph_def < node { op: "Add" attr { key: "T" value < type: DT_FLOAT > } } >
      signature_def { key: "k" value { method_name: "m\\303\\251" } }
    }`;
    const g = decodeSavedModelText(text).metaGraphs[0];
    assert.deepStrictEqual(g.graph.opHistogram, { Add: 1 });
    assert.deepStrictEqual(g.signatures.map((s) => [s.key, s.methodName]), [['k', 'mé']]);
  });

  it('names the line of an unterminated skipped message', () => {
    assert.throws(() => decodeSavedModelText('meta_graphs {\n  collection_def {\n    key: "a"\n'), /missing "}"/);
  });
});
