// Renders signature defs exactly as TF Serving's REST metadata endpoint does (GET /v1/models/<m>/metadata →
// metadata.signature_def): protobuf's proto3 JSON printer with preserve_proto_field_names and
// always_print_primitive_fields. So int64 are strings ("-1"), enums are names ("DT_FLOAT"), empty strings,
// false, [] and {} are printed, unset message fields (a missing tensor_shape) are left out, and bytes are base64.
// TF Serving prints map entries in hash order; we keep the file's order (JSON object order carries no meaning).

import { dataTypeJson } from './tensorflowDataTypes';
import { ModelDecodeError } from './modelDecodeError';
import type { MetaGraph, SignatureDef, TensorInfo, TensorShape, TensorValue } from './savedModelDecoder';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `{"signature_def": {"<key>": {inputs, outputs, method_name, defaults}}}` for one meta graph (a SignatureDefMap). */
export function signatureDefMapJson(metaGraph: MetaGraph): JsonObject {
  const map: JsonObject = {};
  for (const sig of metaGraph.signatures) map[sig.key] = signatureDefJson(sig);
  return { signature_def: map };
}

export function signatureDefJson(sig: SignatureDef): JsonObject {
  const inputs: JsonObject = {};
  for (const t of sig.inputs) inputs[t.key] = tensorInfoJson(t);
  const outputs: JsonObject = {};
  for (const t of sig.outputs) outputs[t.key] = tensorInfoJson(t);
  const defaults: JsonObject = {};
  for (const d of sig.defaults) defaults[d.key] = tensorValueJson(d.value);
  return { inputs, outputs, method_name: sig.methodName, defaults };
}

// The printer puts set oneof members after the plain fields (TF Serving prints "name" after "tensor_shape").
export function tensorInfoJson(info: TensorInfo): JsonObject {
  const out: JsonObject = { dtype: dataTypeJson(info.dtype) };
  if (info.shape) out.tensor_shape = tensorShapeJson(info.shape);
  const e = info.encoding;
  if (e.kind === 'name') out.name = e.name;
  else if (e.kind === 'cooSparse') {
    out.coo_sparse = {
      values_tensor_name: e.valuesTensorName,
      indices_tensor_name: e.indicesTensorName,
      dense_shape_tensor_name: e.denseShapeTensorName,
    };
  } else if (e.kind === 'compositeTensor') {
    // type_spec.type_state (a StructuredValue) is not decoded, so this part is a summary, not TF Serving's bytes.
    out.composite_tensor = {
      type_spec: { type_spec_class: e.typeSpecClass, type_spec_class_name: e.typeSpecClassName },
      components: e.components.map(tensorInfoJson),
    };
  }
  return out;
}

export function tensorShapeJson(shape: TensorShape): JsonObject {
  return {
    dim: shape.dims.map((d) => ({ size: String(d.size), name: d.name })),
    unknown_rank: shape.unknownRank,
  };
}

export function tensorValueJson(v: TensorValue): JsonObject {
  if (v.resourceHandleCount > 0 || v.variantCount > 0) {
    throw new ModelDecodeError('unsupported', 'a signature default holds resource or variant values, which this decoder does not print');
  }
  const out: JsonObject = { dtype: dataTypeJson(v.dtype) };
  if (v.shape) out.tensor_shape = tensorShapeJson(v.shape);
  Object.assign(out, {
    version_number: v.versionNumber,
    tensor_content: base64(v.tensorContent),
    half_val: v.halfVal,
    float_val: v.floatVal.map(float32Json),
    double_val: v.doubleVal.map(doubleJson),
    int_val: v.intVal,
    string_val: v.stringVal.map(base64),
    scomplex_val: v.scomplexVal.map(float32Json),
    int64_val: v.int64Val,
    bool_val: v.boolVal,
    dcomplex_val: v.dcomplexVal.map(doubleJson),
    resource_handle_val: [],
    variant_val: [],
    uint32_val: v.uint32Val,
    uint64_val: v.uint64Val,
    float8_val: base64(v.float8Val),
  });
  return out;
}

/** proto3 JSON spells non-finite numbers as strings. */
function doubleJson(x: number): JsonValue {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return x;
}

/** Floats print with the fewest digits that read back as the same float32 (0.1f → 0.1, not 0.10000000149). */
export function float32Json(x: number): JsonValue {
  if (!Number.isFinite(x)) return doubleJson(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
