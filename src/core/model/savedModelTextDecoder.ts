// saved_model.pbtxt: parse the text format, re-encode the fields the binary decoder reads (by name → number
// from TensorFlow's protos), and hand the bytes to decodeSavedModel, so both spellings take one decoding path.

import { asModelDecodeError } from './modelDecodeError';
import { isTextMessage, parseProtobufText, type TextMessage, type TextScalar } from './protobufTextParser';
import { ProtobufWriter } from './protobufWriter';
import { decodeSavedModel, type SavedModel } from './savedModelDecoder';
import { dataTypeValue } from './tensorflowDataTypes';

type Scalar = 'string' | 'bytes' | 'int' | 'uint' | 'bool' | 'float' | 'double' | 'dataType';
interface Field {
  readonly number: number;
  /** A scalar kind, or the name of a message in `schema`. */
  readonly type: Scalar | string;
}
type MessageSchema = Record<string, Field>;

const mapOf = (valueType: string): MessageSchema => ({ key: { number: 1, type: 'string' }, value: { number: 2, type: valueType } });

// Only the fields the binary decoder looks at; others are dropped.
const schema: Record<string, MessageSchema> = {
  SavedModel: { saved_model_schema_version: { number: 1, type: 'int' }, meta_graphs: { number: 2, type: 'MetaGraphDef' } },
  MetaGraphDef: {
    meta_info_def: { number: 1, type: 'MetaInfoDef' },
    graph_def: { number: 2, type: 'GraphDef' },
    saver_def: { number: 3, type: 'Opaque' },
    signature_def: { number: 5, type: 'SignatureDefEntry' },
    asset_file_def: { number: 6, type: 'Opaque' },
    object_graph_def: { number: 7, type: 'Opaque' },
  },
  MetaInfoDef: {
    meta_graph_version: { number: 1, type: 'string' },
    tags: { number: 4, type: 'string' },
    tensorflow_version: { number: 5, type: 'string' },
    tensorflow_git_version: { number: 6, type: 'string' },
  },
  GraphDef: { node: { number: 1, type: 'NodeDef' }, library: { number: 2, type: 'FunctionDefLibrary' }, versions: { number: 4, type: 'VersionDef' } },
  NodeDef: { op: { number: 2, type: 'string' } },
  FunctionDefLibrary: { function: { number: 1, type: 'FunctionDef' } },
  FunctionDef: { node_def: { number: 3, type: 'NodeDef' } },
  VersionDef: { producer: { number: 1, type: 'int' } },
  SignatureDefEntry: mapOf('SignatureDef'),
  SignatureDef: {
    inputs: { number: 1, type: 'TensorInfoEntry' },
    outputs: { number: 2, type: 'TensorInfoEntry' },
    method_name: { number: 3, type: 'string' },
    defaults: { number: 4, type: 'TensorProtoEntry' },
  },
  TensorInfoEntry: mapOf('TensorInfo'),
  TensorProtoEntry: mapOf('TensorProto'),
  TensorInfo: {
    name: { number: 1, type: 'string' },
    dtype: { number: 2, type: 'dataType' },
    tensor_shape: { number: 3, type: 'TensorShapeProto' },
    coo_sparse: { number: 4, type: 'CooSparse' },
    composite_tensor: { number: 5, type: 'CompositeTensor' },
  },
  CooSparse: {
    values_tensor_name: { number: 1, type: 'string' },
    indices_tensor_name: { number: 2, type: 'string' },
    dense_shape_tensor_name: { number: 3, type: 'string' },
  },
  CompositeTensor: { type_spec: { number: 1, type: 'TypeSpecProto' }, components: { number: 2, type: 'TensorInfo' } },
  TypeSpecProto: { type_spec_class_name: { number: 3, type: 'string' } },
  TensorShapeProto: { dim: { number: 2, type: 'Dim' }, unknown_rank: { number: 3, type: 'bool' } },
  Dim: { size: { number: 1, type: 'int' }, name: { number: 2, type: 'string' } },
  TensorProto: {
    dtype: { number: 1, type: 'dataType' },
    tensor_shape: { number: 2, type: 'TensorShapeProto' },
    version_number: { number: 3, type: 'int' },
    tensor_content: { number: 4, type: 'bytes' },
    float_val: { number: 5, type: 'float' },
    double_val: { number: 6, type: 'double' },
    int_val: { number: 7, type: 'int' },
    string_val: { number: 8, type: 'bytes' },
    scomplex_val: { number: 9, type: 'float' },
    int64_val: { number: 10, type: 'int' },
    bool_val: { number: 11, type: 'bool' },
    dcomplex_val: { number: 12, type: 'double' },
    half_val: { number: 13, type: 'int' },
    uint32_val: { number: 16, type: 'uint' },
    uint64_val: { number: 17, type: 'uint' },
    float8_val: { number: 18, type: 'bytes' },
  },
  /** Present-but-not-decoded messages: only their presence matters. */
  Opaque: {},
};

export function decodeSavedModelText(text: string, fileLabel = 'saved_model.pbtxt'): SavedModel {
  let bytes: Uint8Array;
  try {
    const w = new ProtobufWriter();
    // Only the fields the schema names are built; the rest (most of a graph's bytes) is skipped while scanning.
    encode(parseProtobufText(text, (type, field) => schema[type]?.[field]?.type, 'SavedModel'), 'SavedModel', w);
    bytes = w.finish();
  } catch (e) {
    throw asModelDecodeError(e, fileLabel, 'SavedModel text file');
  }
  return decodeSavedModel(bytes, fileLabel);
}

function encode(msg: TextMessage, type: string, w: ProtobufWriter): void {
  const fields = schema[type];
  for (const [name, value] of msg.fields) {
    const f = fields[name];
    if (!f) continue;
    if (f.type in schema) {
      if (!isTextMessage(value)) throw new Error(`field "${name}" needs a { … } message`);
      w.message(f.number, (inner) => encode(value, f.type, inner));
    } else {
      if (isTextMessage(value)) throw new Error(`field "${name}" needs a scalar value`);
      encodeScalar(w, f.number, f.type as Scalar, value, name);
    }
  }
}

function encodeScalar(w: ProtobufWriter, number: number, type: Scalar, v: TextScalar, name: string): void {
  if (type === 'string' || type === 'bytes') {
    if (v.kind !== 'string') throw new Error(`field "${name}" needs a quoted string`);
    w.bytes(number, v.bytes);
    return;
  }
  if (v.kind !== 'token') throw new Error(`field "${name}" needs an unquoted value`);
  const t = v.text;
  switch (type) {
    case 'dataType': {
      const e = dataTypeValue(t) ?? (/^\d+$/.test(t) ? Number(t) : undefined);
      if (e === undefined) throw new Error(`unknown DataType "${t}"`);
      w.int(number, e);
      return;
    }
    case 'bool':
      if (!['true', 'false', 't', 'f', '1', '0', 'True', 'False'].includes(t)) throw new Error(`field "${name}" needs true or false`);
      w.bool(number, ['true', 't', '1', 'True'].includes(t));
      return;
    case 'int':
    case 'uint':
      w.int(number, parseInteger(t, name));
      return;
    case 'float':
      w.float(number, parseFloatToken(t, name));
      return;
    case 'double':
      w.double(number, parseFloatToken(t, name));
      return;
  }
}

function parseInteger(t: string, name: string): bigint {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(t);
  if (!m) throw new Error(`field "${name}" needs an integer, got "${t}"`);
  const body = m[2];
  const mag = body.startsWith('0x') || body.startsWith('0X') ? BigInt(body) : body.length > 1 && body[0] === '0' ? BigInt('0o' + body.slice(1)) : BigInt(body);
  return m[1] === '-' ? -mag : mag;
}

function parseFloatToken(t: string, name: string): number {
  const lower = t.toLowerCase();
  if (['inf', 'infinity', '+inf', '+infinity', 'inff', 'infinityf'].includes(lower)) return Infinity;
  if (['-inf', '-infinity', '-inff', '-infinityf'].includes(lower)) return -Infinity;
  if (lower === 'nan' || lower === 'nanf') return NaN;
  // C++-style float suffix: 1.5f
  const x = Number(lower.replace(/f$/, ''));
  if (lower === '' || lower.startsWith('0x') || Number.isNaN(x)) throw new Error(`field "${name}" needs a number, got "${t}"`);
  return x;
}
