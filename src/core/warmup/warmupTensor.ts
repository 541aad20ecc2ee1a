// A request input as TF Serving receives it: TensorProto. Values go into the typed field TensorFlow's own
// Tensor::AsProtoField uses for the dtype (float_val for DT_FLOAT, int_val for the small integers, half_val for
// DT_HALF as bit patterns…); reading also accepts tensor_content, which tf.make_tensor_proto writes for numbers.
import { floatToHalfBits, halfBitsToFloat } from '../model/float16';
import { shortDataTypeName } from '../model/tensorflowDataTypes';

/** A tensor in plain values: shape (batch axis first) and row-major values (strings for DT_STRING are bytes). */
export interface WarmupTensor {
  /** TensorFlow DataType value. */
  readonly dtype: number;
  readonly shape: readonly number[];
  readonly values: readonly (number | boolean | bigint | Uint8Array)[];
}

type TypedField = 'float_val' | 'double_val' | 'int_val' | 'string_val' | 'int64_val' | 'bool_val' | 'half_val' | 'uint32_val' | 'uint64_val';

/** DataType value → the typed field that carries it, and the width of one element in tensor_content. */
const fieldByDataType: Record<number, { field: TypedField; bytes: number }> = {
  1: { field: 'float_val', bytes: 4 },
  2: { field: 'double_val', bytes: 8 },
  3: { field: 'int_val', bytes: 4 },
  4: { field: 'int_val', bytes: 1 },
  5: { field: 'int_val', bytes: 2 },
  6: { field: 'int_val', bytes: 1 },
  7: { field: 'string_val', bytes: 0 },
  9: { field: 'int64_val', bytes: 8 },
  10: { field: 'bool_val', bytes: 1 },
  17: { field: 'int_val', bytes: 2 },
  19: { field: 'half_val', bytes: 2 },
  22: { field: 'uint32_val', bytes: 4 },
  23: { field: 'uint64_val', bytes: 8 },
};

export function isWarmupDataType(dtype: number): boolean {
  return dtype in fieldByDataType;
}

/** The TensorProto (protobufjs object, .proto field names) of a tensor. */
export function tensorProtoObject(tensor: WarmupTensor): Record<string, unknown> {
  const spec = fieldByDataType[tensor.dtype];
  if (!spec) throw new Error(`A ${shortDataTypeName(tensor.dtype)} input cannot be written into a warmup request.`);
  const values = tensor.values.map((v) => {
    switch (spec.field) {
      case 'string_val': return v instanceof Uint8Array ? v : new TextEncoder().encode(String(v));
      case 'bool_val': return Boolean(v);
      case 'int64_val': case 'uint64_val': return String(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
      case 'half_val': return floatToHalfBits(Number(v));
      case 'int_val': case 'uint32_val': return Math.trunc(Number(v));
      default: return Number(v);
    }
  });
  return {
    dtype: tensor.dtype,
    tensor_shape: { dim: tensor.shape.map((size) => ({ size: String(size) })) },
    [spec.field]: values,
  };
}

/** Plain values of a decoded TensorProto (protobufjs object read with longs as strings, bytes as Uint8Array). */
export function tensorFromProtoObject(proto: Record<string, unknown>): WarmupTensor & { readonly unknownRank: boolean } {
  const dtype = Number(proto.dtype ?? 0);
  const shapeProto = (proto.tensor_shape ?? {}) as { dim?: { size?: unknown }[]; unknown_rank?: boolean };
  const shape = (shapeProto.dim ?? []).map((d) => Number(d.size ?? 0));
  const spec = fieldByDataType[dtype];
  let values: (number | boolean | bigint | Uint8Array)[] = [];
  const content = proto.tensor_content as Uint8Array | undefined;
  if (spec && content && content.length > 0 && spec.bytes > 0) {
    values = readContent(dtype, content, spec.bytes);
  } else if (spec) {
    const raw = (proto[spec.field] as unknown[] | undefined) ?? [];
    values = raw.map((v) => {
      switch (spec.field) {
        case 'int64_val': case 'uint64_val': return BigInt(String(v));
        case 'half_val': return halfBitsToFloat(Number(v));
        case 'string_val': return v as Uint8Array;
        case 'bool_val': return Boolean(v);
        default: return Number(v);
      }
    });
  }
  return { dtype, shape, values, unknownRank: Boolean(shapeProto.unknown_rank) };
}

function readContent(dtype: number, content: Uint8Array, width: number): (number | boolean | bigint)[] {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  return Array.from({ length: Math.floor(content.length / width) }, (_, i) => {
    const at = i * width;
    switch (dtype) {
      case 1: return view.getFloat32(at, true);
      case 2: return view.getFloat64(at, true);
      case 3: return view.getInt32(at, true);
      case 4: return view.getUint8(at);
      case 5: return view.getInt16(at, true);
      case 6: return view.getInt8(at);
      case 9: return view.getBigInt64(at, true);
      case 10: return view.getUint8(at) !== 0;
      case 17: return view.getUint16(at, true);
      case 19: return halfBitsToFloat(view.getUint16(at, true));
      case 22: return view.getUint32(at, true);
      default: return view.getBigUint64(at, true); // 23
    }
  });
}

/** Number of elements a shape holds. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
