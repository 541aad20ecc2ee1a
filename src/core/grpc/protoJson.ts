// Messages as TF Serving's REST API prints them: protobuf's proto3 JSON printer with preserve_proto_field_names
// and always_print_fields_with_no_presence (http_rest_api_util.cc). Plain fields and repeated/map fields always
// print (defaults too), message fields and oneof members only when set; int64 as strings, enums by name, bytes as
// base64, floats with the fewest digits that read back as the same float32, wrappers as their value.
// Input: a plain object as @grpc/proto-loader decodes it with PROTO_OBJECT_OPTIONS, and its protobufjs Type.
import type * as protobuf from 'protobufjs';
import { float32Json, type JsonObject, type JsonValue } from '../model/signatureDefJson';

/** How every message crosses the wire here: field names as in the .proto, int64 as strings, enums by name, bytes base64. */
export const PROTO_OBJECT_OPTIONS = { keepCase: true, longs: String, enums: String, bytes: String, defaults: false } as const;

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPER = /^\.?google\.protobuf\.(Double|Float|Int64|UInt64|Int32|UInt32|Bool|String|Bytes)Value$/;

function scalarDefault(type: string, resolved: protobuf.ReflectionObject | null): JsonValue {
  if (resolved && 'values' in resolved) return Object.keys((resolved as protobuf.Enum).values)[0] ?? 0;
  if (INT64.has(type)) return '0';
  if (type === 'bool') return false;
  if (type === 'string' || type === 'bytes') return '';
  return 0;
}

function scalarJson(type: string, resolved: protobuf.ReflectionObject | null, v: unknown): JsonValue {
  if (resolved && 'values' in resolved) {
    if (typeof v === 'number') return (resolved as protobuf.Enum).valuesById[v] ?? v;
    return v as string;
  }
  if (INT64.has(type)) return String(v);
  if (type === 'float') return float32Json(Number(v));
  if (type === 'double') {
    const x = Number(v);
    return Number.isNaN(x) ? 'NaN' : !Number.isFinite(x) ? (x > 0 ? 'Infinity' : '-Infinity') : x;
  }
  if (type === 'bytes') return typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('base64');
  return v as JsonValue;
}

function valueJson(field: protobuf.Field, v: unknown): JsonValue {
  const t = field.resolvedType;
  if (t && 'fieldsArray' in t) return messageJson(t as protobuf.Type, v as Record<string, unknown>);
  return scalarJson(field.type, t, v);
}

/** One message in REST's JSON form. */
export function messageJson(type: protobuf.Type, obj: Record<string, unknown>): JsonValue {
  const wrapper = WRAPPER.exec(type.fullName);
  if (wrapper) {
    const f = type.fields.value;
    return obj.value === undefined || obj.value === null ? scalarDefault(f.type, f.resolvedType) : scalarJson(f.type, f.resolvedType, obj.value);
  }
  const out: JsonObject = {};
  const present = (f: protobuf.Field) => obj[f.name] !== undefined && obj[f.name] !== null;
  // Like protobuf's printer: plain fields in field-number order, then the set members of oneofs.
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  for (const f of [...fields.filter((x) => !x.partOf), ...fields.filter((x) => x.partOf)]) {
    const v = obj[f.name];
    if (f instanceof Object && 'keyType' in f) {
      const m: JsonObject = {};
      for (const [k, x] of Object.entries((v ?? {}) as Record<string, unknown>)) m[k] = valueJson(f, x);
      out[f.name] = m;
    } else if (f.repeated) {
      out[f.name] = ((v ?? []) as unknown[]).map((x) => valueJson(f, x));
    } else if (f.partOf || (f.resolvedType && 'fieldsArray' in f.resolvedType)) {
      if (present(f)) out[f.name] = valueJson(f, v);
    } else {
      out[f.name] = present(f) ? valueJson(f, v) : scalarDefault(f.type, f.resolvedType);
    }
  }
  return out;
}
