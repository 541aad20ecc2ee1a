// TF Serving's REST request and answer shapes ↔ TensorProtos, so a gRPC Predict takes the same JSON body as REST
// (row "instances" or columnar "inputs", {"b64": …} for bytes) and answers the same JSON ("predictions" or
// "outputs"), as TF Serving's json_tensor.cc does. Dtypes and input names come from the signature.
import { float32Json, type JsonValue } from '../model/signatureDefJson';
import { readTensorContent, tensorFieldLayout } from '../model/tensorProtoFields';
import type { ProtoObject } from './tfServingGrpcClient';

export type PredictBodyFormat = 'row' | 'columnar';

export interface SignatureInput { readonly dtype: string }

/**
 * The typed field a dtype's JSON values go into (model/tensorProtoFields.ts). DT_HALF is not taken from JSON here:
 * half_val holds bit patterns, and what TF Serving's REST parser does with them is not checked against it yet.
 */
function valueField(dtype: string): string | undefined {
  return dtype === 'DT_HALF' ? undefined : tensorFieldLayout(dtype)?.field;
}

type Nested = JsonValue;

export class TensorJsonError extends Error {}

function shapeOf(v: Nested, what: string): number[] {
  if (!Array.isArray(v)) return [];
  const inner = v.length ? shapeOf(v[0], what) : [];
  for (const x of v) {
    if (JSON.stringify(shapeOf(x, what)) !== JSON.stringify(inner)) throw new TensorJsonError(`${what}: the nested lists are not all the same length (a tensor must be rectangular).`);
  }
  return [v.length, ...inner];
}

function flatten(v: Nested, out: Nested[] = []): Nested[] {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v);
  return out;
}

function leafValue(x: Nested, dtype: string, what: string): unknown {
  if (dtype === 'DT_STRING') {
    if (typeof x === 'string') return Buffer.from(x, 'utf8').toString('base64');
    if (x && typeof x === 'object' && !Array.isArray(x) && typeof x.b64 === 'string') return x.b64;
    throw new TensorJsonError(`${what}: ${JSON.stringify(x)} is not a string (or {"b64": "…"}) for DT_STRING.`);
  }
  if (dtype === 'DT_BOOL') {
    if (typeof x !== 'boolean') throw new TensorJsonError(`${what}: ${JSON.stringify(x)} is not a boolean for DT_BOOL.`);
    return x;
  }
  if (typeof x !== 'number') throw new TensorJsonError(`${what}: ${JSON.stringify(x)} is not a number for ${dtype}.`);
  if (dtype === 'DT_INT64' || dtype === 'DT_UINT64') {
    if (!Number.isInteger(x)) throw new TensorJsonError(`${what}: ${x} is not an integer for ${dtype}.`);
    return String(x);
  }
  if (/INT/.test(dtype) && !Number.isInteger(x)) throw new TensorJsonError(`${what}: ${x} is not an integer for ${dtype}.`);
  return x;
}

/** One input value (a nested list, or a scalar) as a TensorProto of the signature's dtype. */
export function tensorProtoFromJson(value: Nested, dtype: string, what: string): ProtoObject {
  const field = valueField(dtype);
  if (!field) throw new TensorJsonError(`${what}: inputs of type ${dtype} cannot be sent as JSON; send it over REST or as a TensorProto.`);
  const shape = shapeOf(value, what);
  return {
    dtype,
    tensor_shape: { dim: shape.map((size) => ({ size: String(size) })) },
    [field]: flatten(value).map((x) => leafValue(x, dtype, what)),
  };
}

const isObject = (v: unknown): v is Record<string, Nested> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A REST predict body as a PredictRequest's `inputs` map, with the signature name and the format of the answer. */
export function predictInputsFromJson(body: unknown, inputs: Readonly<Record<string, SignatureInput>>): { inputs: Record<string, ProtoObject>; signatureName: string; format: PredictBodyFormat } {
  if (!isObject(body)) throw new TensorJsonError('The request body must be a JSON object with "instances" or "inputs".');
  const signatureName = typeof body.signature_name === 'string' ? body.signature_name : 'serving_default';
  const names = Object.keys(inputs);
  if ('instances' in body && 'inputs' in body) throw new TensorJsonError('Not both \'instances\' and \'inputs\' can be specified in the request.');
  const out: Record<string, ProtoObject> = {};
  const input = (name: string) => {
    const s = inputs[name];
    if (!s) throw new TensorJsonError(`The signature "${signatureName}" has no input named "${name}" (it has ${names.join(', ') || 'none'}).`);
    return s;
  };
  if ('instances' in body) {
    const rows = body.instances;
    if (!Array.isArray(rows)) throw new TensorJsonError('Expecting \'instances\' to be an list/array');
    const named = rows.length > 0 && rows.every(isObject) && !(names.length === 1 && rows.every((r) => 'b64' in (r as object)));
    if (!named) {
      if (names.length !== 1) throw new TensorJsonError(`The signature "${signatureName}" has ${names.length} inputs (${names.join(', ')}): name them in each instance.`);
      out[names[0]] = tensorProtoFromJson(rows, input(names[0]).dtype, names[0]);
    } else {
      for (const name of Object.keys(rows[0] as object)) {
        const column = rows.map((r) => {
          const v = (r as Record<string, Nested>)[name];
          if (v === undefined) throw new TensorJsonError(`Missing named input: ${name} in 'instances' object.`);
          return v;
        });
        out[name] = tensorProtoFromJson(column, input(name).dtype, name);
      }
    }
    return { inputs: out, signatureName, format: 'row' };
  }
  if (!('inputs' in body)) throw new TensorJsonError('Missing \'inputs\' or \'instances\' key');
  const cols = body.inputs;
  if (isObject(cols) && !('b64' in cols)) {
    for (const [name, v] of Object.entries(cols)) out[name] = tensorProtoFromJson(v, input(name).dtype, name);
  } else {
    if (names.length !== 1) throw new TensorJsonError(`The signature "${signatureName}" has ${names.length} inputs (${names.join(', ')}): give "inputs" as an object naming each.`);
    out[names[0]] = tensorProtoFromJson(cols as Nested, input(names[0]).dtype, names[0]);
  }
  return { inputs: out, signatureName, format: 'columnar' };
}

function fromContent(dtype: string, b64: string): Nested[] {
  const values = valueField(dtype) ? readTensorContent(dtype, Buffer.from(b64, 'base64')) : undefined;
  if (!values) throw new TensorJsonError(`An output of type ${dtype} in tensor_content cannot be shown as JSON.`);
  return values.map((v) => (typeof v === 'bigint' ? Number(v) : dtype === 'DT_FLOAT' ? float32Json(v as number) : v));
}

/** A TensorProto's values, flat, as REST prints them (floats as float32, strings as text or {"b64"} for *_bytes). */
function flatValues(t: ProtoObject, key: string): Nested[] {
  const dtype = String(t.dtype ?? 'DT_INVALID');
  if (typeof t.tensor_content === 'string' && t.tensor_content.length) return fromContent(dtype, t.tensor_content);
  const field = valueField(dtype);
  if (!field) throw new TensorJsonError(`Output "${key}" has type ${dtype}, which cannot be shown as JSON.`);
  const raw = (t[field] ?? []) as unknown[];
  if (dtype === 'DT_FLOAT') return raw.map((x) => float32Json(Number(x)));
  if (dtype === 'DT_INT64' || dtype === 'DT_UINT64') return raw.map((x) => Number(x));
  if (dtype === 'DT_STRING') return raw.map((x) => (key.endsWith('_bytes') ? { b64: String(x) } : Buffer.from(String(x), 'base64').toString('utf8')));
  return raw as Nested[];
}

function dimsOf(t: ProtoObject): number[] {
  const shape = t.tensor_shape as { dim?: { size?: string | number }[] } | undefined;
  return (shape?.dim ?? []).map((d) => Number(d.size ?? 0));
}

function nest(values: Nested[], dims: number[], at = 0): Nested {
  if (!dims.length) return values[at];
  const [n, ...rest] = dims;
  const stride = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => nest(values, rest, at + i * stride));
}

/** One TensorProto as nested JSON lists (a scalar for rank 0). */
export function tensorProtoToJson(t: ProtoObject, key = ''): Nested {
  const dims = dimsOf(t);
  const values = flatValues(t, key);
  const count = dims.reduce((a, b) => a * b, 1);
  // proto fields may hold one value for a whole tensor of that value (TensorProto's documented shorthand).
  const full = values.length === 1 && count > 1 ? Array.from({ length: count }, () => values[0]) : values;
  if (full.length !== count) throw new TensorJsonError(`Output "${key}" has ${full.length} values for shape [${dims.join(',')}].`);
  return nest(full, dims);
}

/** A PredictResponse's outputs as the REST answer: {"predictions": rows} or {"outputs": …}. */
export function predictResponseJson(outputs: Readonly<Record<string, ProtoObject>>, format: PredictBodyFormat): { predictions?: Nested; outputs?: Nested } {
  const keys = Object.keys(outputs).sort();
  const values = Object.fromEntries(keys.map((k) => [k, tensorProtoToJson(outputs[k], k)]));
  if (format === 'columnar') return { outputs: keys.length === 1 ? values[keys[0]] : values };
  const batch = new Set(keys.map((k) => dimsOf(outputs[k])[0]));
  for (const k of keys) if (!Array.isArray(values[k])) throw new TensorJsonError(`Output "${k}" is a scalar, which the row format cannot show; use the columnar format ("inputs").`);
  if (batch.size > 1) throw new TensorJsonError(`The outputs have different batch sizes (${keys.map((k) => `${k}: ${dimsOf(outputs[k])[0]}`).join(', ')}); use the columnar format ("inputs").`);
  if (keys.length === 1) return { predictions: values[keys[0]] };
  const n = [...batch][0] ?? 0;
  return { predictions: Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k) => [k, (values[k] as Nested[])[i]]))) };
}
