// Where a TensorProto keeps the values of each DataType: the typed field TensorFlow's Tensor::AsProtoField fills
// (float_val for DT_FLOAT, int_val for the small integers, half_val for DT_HALF as bit patterns…), and how one
// element is laid out in tensor_content (little-endian). One table for warmup files and for gRPC requests.
import { halfBitsToFloat } from './float16';
import { dataTypeValue } from './tensorflowDataTypes';

export type TypedField = 'float_val' | 'double_val' | 'int_val' | 'string_val' | 'int64_val' | 'bool_val' | 'half_val' | 'uint32_val' | 'uint64_val';

export interface TensorFieldLayout {
  readonly field: TypedField;
  /** Bytes of one element in tensor_content; 0 for strings, which tensor_content does not carry. */
  readonly bytes: number;
  readonly read?: (view: DataView, at: number) => number | boolean | bigint;
}

/** DataType value → its layout. */
const layouts: Record<number, TensorFieldLayout> = {
  1: { field: 'float_val', bytes: 4, read: (v, at) => v.getFloat32(at, true) },
  2: { field: 'double_val', bytes: 8, read: (v, at) => v.getFloat64(at, true) },
  3: { field: 'int_val', bytes: 4, read: (v, at) => v.getInt32(at, true) },
  4: { field: 'int_val', bytes: 1, read: (v, at) => v.getUint8(at) },
  5: { field: 'int_val', bytes: 2, read: (v, at) => v.getInt16(at, true) },
  6: { field: 'int_val', bytes: 1, read: (v, at) => v.getInt8(at) },
  7: { field: 'string_val', bytes: 0 },
  9: { field: 'int64_val', bytes: 8, read: (v, at) => v.getBigInt64(at, true) },
  10: { field: 'bool_val', bytes: 1, read: (v, at) => v.getUint8(at) !== 0 },
  17: { field: 'int_val', bytes: 2, read: (v, at) => v.getUint16(at, true) },
  19: { field: 'half_val', bytes: 2, read: (v, at) => halfBitsToFloat(v.getUint16(at, true)) },
  22: { field: 'uint32_val', bytes: 4, read: (v, at) => v.getUint32(at, true) },
  23: { field: 'uint64_val', bytes: 8, read: (v, at) => v.getBigUint64(at, true) },
};

/** The layout of a DataType, by value (19) or by name ("DT_HALF"); undefined for one a TensorProto here cannot carry. */
export function tensorFieldLayout(dtype: number | string): TensorFieldLayout | undefined {
  const value = typeof dtype === 'number' ? dtype : dataTypeValue(dtype);
  return value === undefined ? undefined : layouts[value];
}

/** The elements of tensor_content (DT_HALF as floats, 64-bit integers as bigint); undefined when the dtype has no fixed width. */
export function readTensorContent(dtype: number | string, content: Uint8Array): (number | boolean | bigint)[] | undefined {
  const layout = tensorFieldLayout(dtype);
  const read = layout?.read;
  if (!layout || !read) return undefined;
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  return Array.from({ length: Math.floor(content.length / layout.bytes) }, (_, i) => read(view, i * layout.bytes));
}
