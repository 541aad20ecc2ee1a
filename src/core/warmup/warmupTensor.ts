// A request input as TF Serving receives it: TensorProto. Values go into the typed field TensorFlow's own
// Tensor::AsProtoField uses for the dtype (model/tensorProtoFields.ts); reading also accepts tensor_content, which
// tf.make_tensor_proto writes for numbers.
import { floatToHalfBits, halfBitsToFloat } from '../model/float16';
import { readTensorContent, tensorFieldLayout } from '../model/tensorProtoFields';
import { shortDataTypeName } from '../model/tensorflowDataTypes';

/** A tensor in plain values: shape (batch axis first) and row-major values (strings for DT_STRING are bytes). */
export interface WarmupTensor {
  /** TensorFlow DataType value. */
  readonly dtype: number;
  readonly shape: readonly number[];
  readonly values: readonly (number | boolean | bigint | Uint8Array)[];
}

export function isWarmupDataType(dtype: number): boolean {
  return tensorFieldLayout(dtype) !== undefined;
}

/** The TensorProto (protobufjs object, .proto field names) of a tensor. */
export function tensorProtoObject(tensor: WarmupTensor): Record<string, unknown> {
  const spec = tensorFieldLayout(tensor.dtype);
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
  const spec = tensorFieldLayout(dtype);
  let values: (number | boolean | bigint | Uint8Array)[] = [];
  const content = proto.tensor_content as Uint8Array | undefined;
  if (spec && content && content.length > 0 && spec.bytes > 0) {
    values = readTensorContent(dtype, content) ?? [];
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

/** Number of elements a shape holds. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
