// Our decoders (src/core/model) against TensorFlow itself, on every zoo model and every converted file: SavedModel
// signatures as saved_model_cli reads them, TFLite inputs, outputs, signatures and every tensor as LiteRT's
// interpreter reports them. A difference is a bug in our decoder.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { decodeSavedModel } from '../../src/core/model/savedModelDecoder';
import { signatureDefJson } from '../../src/core/model/signatureDefJson';
import { decodeTflite, type TfliteTensor } from '../../src/core/model/tfliteDecoder';
import { tensorflowView, tensorflowZoo, type TensorflowViewEntry, type TfliteTensorView, type ZooModel } from './tensorflowZoo';
import { zooConversion, type ZooConversion } from './zooConversions';

const zooModels: ZooModel[] = ['classifier', 'classifier_b', 'cnn', 'cnn_tfsave', 'text', 'two_sigs', 'erf'];
const conversions: ZooConversion[] = [
  'classifier-dynamic', 'classifier-float16', 'classifier-int8', 'classifier-int8-io', 'cnn-int8', 'text-select', 'two_sigs-lookup', 'erf-select',
];

/** Our tensor in the interpreter's terms (its shape before allocation is the file's shape). */
function ours(t: TfliteTensor): TfliteTensorView {
  const q = t.quantization;
  return {
    index: t.index,
    name: t.name,
    dtype: t.typeName === 'RESOURCE' || t.typeName === 'VARIANT' ? 'RESOURCE_OR_VARIANT' : t.typeName,
    shape: t.shape,
    shape_signature: t.shapeSignature ?? t.shape,
    scales: q?.scale ?? [],
    zero_points: q?.zeroPoint ?? [],
    quantized_dimension: q?.quantizedDimension ?? 0,
  };
}

/** float32 scales as the interpreter returns them (numpy float32 → Python float). */
const f32 = (v: TfliteTensorView) => ({ ...v, scales: v.scales.map((s) => Math.fround(s)) });

describe('decoders equal what TensorFlow reports (saved_model_cli, LiteRT interpreter)', function () {
  this.timeout(600_000);
  let view: Map<string, TensorflowViewEntry>;
  let files: Record<ZooConversion, string>;
  let dirs: Record<string, string>;

  before(async () => {
    const zoo = await tensorflowZoo();
    dirs = Object.fromEntries(zooModels.map((m) => [m, zoo.versionDir(m)]));
    files = Object.fromEntries(await Promise.all(conversions.map(async (c) => [c, (await zooConversion(c)).tfliteFile]))) as Record<ZooConversion, string>;
    // One Python process for everything: TensorFlow's import costs seconds.
    const entries = await tensorflowView([...Object.values(dirs), ...Object.values(files)]);
    view = new Map(entries.map((e) => [e.path, e]));
  });

  for (const model of zooModels) {
    it(`SavedModel ${model}: tag-sets and every signature (keys, inputs, outputs, dtypes, shapes, tensor names, method)`, () => {
      const tf = view.get(dirs[model])!;
      assert.strictEqual(tf.kind, 'savedmodel');
      if (tf.kind !== 'savedmodel') return;
      const decoded = decodeSavedModel(readFileSync(path.join(dirs[model], 'saved_model.pb')));
      assert.deepStrictEqual(decoded.metaGraphs.map((g) => g.tags), tf.meta_graphs.map((g) => g.tags));
      decoded.metaGraphs.forEach((g, i) => {
        const mine = Object.fromEntries(g.signatures.map((s) => [s.key, signatureDefJson(s)]));
        assert.deepStrictEqual(mine, tf.meta_graphs[i].signature_def);
      });
    });
  }

  for (const conversion of conversions) {
    it(`TFLite ${conversion}: inputs, outputs, signature list and every tensor's dtype, shape and quantization`, () => {
      const tf = view.get(files[conversion])!;
      assert.strictEqual(tf.kind, 'tflite');
      if (tf.kind !== 'tflite') return;
      const model = decodeTflite(readFileSync(files[conversion]));
      const main = model.subgraphs[0];
      const byIndex = (i: number) => f32(ours(main.tensors[i]));
      assert.deepStrictEqual(main.inputs.map(byIndex), tf.inputs);
      assert.deepStrictEqual(main.outputs.map(byIndex), tf.outputs);
      const signatures = Object.fromEntries(model.signatures.map((s) => [s.key, { inputs: s.inputs.map((t) => t.name).sort(), outputs: s.outputs.map((t) => t.name).sort() }]));
      assert.deepStrictEqual(signatures, tf.signatures);
      // The interpreter leaves out tensors it cannot describe (unnamed temporaries); every one it lists must match.
      assert.ok(tf.tensors.length > 0 && tf.tensors.length <= main.tensors.length);
      for (const t of tf.tensors) assert.deepStrictEqual(byIndex(t.index), t, `tensor ${t.index}`);
      if (conversion.includes('int8')) assert.ok(tf.tensors.some((t) => t.scales.length > 1), 'per-channel scales compared too');
    });
  }
});
