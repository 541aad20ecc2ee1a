// A JSON view of a TFLite model for `inspect --json`, in the SavedModel's shape: `signature_def` is the map TF
// Serving's metadata answer holds (the model's SignatureDefs, or the serving_default it generates), then `tflite`
// holds what only a TFLite file has: tensors, signature runners, operators, sizes. snake_case like TF Serving.

import type { JsonObject, JsonValue } from './signatureDefJson';
import { float32Json, signatureDefJson } from './signatureDefJson';
import type { TfliteModel, TfliteSubgraph, TfliteTensor } from './tfliteDecoder';
import { tfliteServingSignatures } from './tfliteServingSignatures';

export function tfliteModelJson(m: TfliteModel): JsonObject {
  const map: JsonObject = {};
  for (const s of tfliteServingSignatures(m).signatures) map[s.key] = signatureDefJson(s);
  return { signature_def: map, tflite: tfliteDetailsJson(m) };
}

function tfliteDetailsJson(m: TfliteModel): JsonObject {
  const main = m.subgraphs[0];
  const out: JsonObject = {
    format: 'tflite',
    schema_version: m.schemaVersion,
    description: m.description,
    inputs: main.inputs.map((i) => ioJson(main, i)),
    outputs: main.outputs.map((i) => ioJson(main, i)),
    signatures: m.signatures.map((s) => {
      const sg = m.subgraphs[s.subgraphIndex];
      const entry = (io: { name: string; tensorIndex: number }): JsonObject => ({
        key: io.name,
        tensor_index: io.tensorIndex,
        tensor_name: sg?.tensors[io.tensorIndex]?.name ?? null,
      });
      return { signature_key: s.key, subgraph_index: s.subgraphIndex, inputs: s.inputs.map(entry), outputs: s.outputs.map(entry) };
    }),
  };
  const byType: JsonObject = {};
  for (const [type, t] of Object.entries(m.tensorsByType)) {
    byType[type] = { tensors: t.tensors, constant_tensors: t.constantTensors, constant_bytes: t.constantBytes };
  }
  Object.assign(out, {
    subgraph_count: m.subgraphs.length,
    tensor_count: m.subgraphs.reduce((a, s) => a + s.tensors.length, 0),
    operator_count: m.subgraphs.reduce((a, s) => a + s.operators.length, 0),
    weight_bytes: m.weightBytes,
    buffer_bytes: m.bufferBytes,
    tensors_by_type: byType,
    operators: { ...m.operatorHistogram },
    operator_codes: m.operatorCodes.map((c) => ({ name: c.name, builtin_code: c.builtinCode, version: c.version, ...(c.customCode !== undefined ? { custom_code: c.customCode } : {}) })),
    metadata: m.metadataNames,
  });
  return out;
}

function ioJson(sg: TfliteSubgraph, index: number): JsonObject {
  const t = sg.tensors[index];
  return t ? tensorJson(t) : { index, missing: true };
}

export function tensorJson(t: TfliteTensor): JsonObject {
  // No recorded shape prints as null; a scalar's recorded empty shape as [].
  const out: JsonObject = { index: t.index, name: t.name, type: t.typeName, shape: t.hasShape ? t.shape : null };
  if (t.shapeSignature) out.shape_signature = t.shapeSignature;
  if (t.quantization) {
    const q = t.quantization;
    out.quantization = {
      scale: q.scale.map(float32Json) as JsonValue[],
      zero_point: q.zeroPoint,
      quantized_dimension: q.quantizedDimension,
      min: q.min.map(float32Json) as JsonValue[],
      max: q.max.map(float32Json) as JsonValue[],
    };
  }
  return out;
}
