// The signatures TF Serving serves for a TFLite model (tflite_session.cc): the model's own SignatureDefs when it
// carries them (the "signature_defs_metadata" entry), else one it generates: "serving_default", predict, inputs and
// outputs of the main subgraph keyed by tensor name (without a ":N" suffix), each TensorInfo with the tensor's name,
// dtype and runtime shape (no tensor_shape for a rank-0 shape).
import type { SignatureDef, TensorInfo } from './savedModelDecoder';
import { dataTypeValue } from './tensorflowDataTypes';
import type { TfliteModel, TfliteTensor } from './tfliteDecoder';

/** TFLite tensor types TF Serving maps to a TensorFlow DataType; any other type fails the model's load. */
const servableTypes: Readonly<Record<string, string>> = {
  FLOAT32: 'DT_FLOAT', INT32: 'DT_INT32', UINT8: 'DT_UINT8', INT64: 'DT_INT64', STRING: 'DT_STRING',
  BOOL: 'DT_BOOL', INT16: 'DT_INT16', COMPLEX64: 'DT_COMPLEX64', INT8: 'DT_INT8',
};

export const generatedSignatureKey = 'serving_default';

export function tfliteServingSignatures(m: TfliteModel): { signatures: SignatureDef[]; generated: boolean } {
  const main = m.subgraphs[0];
  if (m.servingSignatures?.length) {
    // TF Serving points each tensor name at a tensor that exists, trying the name without ":0" (older converters).
    const names = new Set([...(main?.inputs ?? []), ...(main?.outputs ?? [])].map((i) => main?.tensors[i]?.name));
    const fix = <T extends SignatureDef['inputs'][number]>(t: T): T => {
      if (t.encoding.kind !== 'name' || names.has(t.encoding.name)) return t;
      const legacy = t.encoding.name.split(':')[0];
      return names.has(legacy) ? { ...t, encoding: { kind: 'name', name: legacy } } : t;
    };
    return { signatures: m.servingSignatures.map((s) => ({ ...s, inputs: s.inputs.map(fix), outputs: s.outputs.map(fix) })), generated: false };
  }
  if (!main) return { signatures: [], generated: true };
  const entry = (index: number) => {
    const t = main.tensors[index];
    return t ? [{ key: t.name.split(':')[0], ...tensorInfo(t) }] : [];
  };
  return {
    signatures: [{ key: generatedSignatureKey, inputs: main.inputs.flatMap(entry), outputs: main.outputs.flatMap(entry), methodName: 'tensorflow/serving/predict', defaults: [] }],
    generated: true,
  };
}

/** Inputs and outputs of the main subgraph TF Serving cannot convert (their type has no DataType it maps). */
export function unservableTensors(m: TfliteModel): TfliteTensor[] {
  const main = m.subgraphs[0];
  if (!main) return [];
  return [...main.inputs, ...main.outputs].map((i) => main.tensors[i]).filter((t): t is TfliteTensor => !!t && !(t.typeName in servableTypes));
}

function tensorInfo(t: TfliteTensor): TensorInfo {
  const dtype = dataTypeValue(servableTypes[t.typeName] ?? 'DT_INVALID') ?? 0;
  return {
    encoding: { kind: 'name', name: t.name },
    dtype,
    ...(t.shape.length ? { shape: { dims: t.shape.map((size) => ({ size, name: '' })), unknownRank: false } } : {}),
  };
}
