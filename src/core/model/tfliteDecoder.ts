// Decodes model.tflite (a FlatBuffer with TFLite's schema, file identifier "TFL3") into tensors, operators,
// signatures and weight-size summaries. Field indexes follow the declaration order of the tables in schema.fbs.

import { FlatBuffer, FlatTable } from './flatBufferReader';
import { asModelDecodeError, ModelDecodeError } from './modelDecodeError';
import { decodeSignatureDef, type SignatureDef } from './savedModelDecoder';
import { readFlexStringMap } from './flexBufferReader';
import { builtinOperatorName, customOperatorCode, tensorTypeBitWidth, tensorTypeName } from './tfliteEnums';

export const tfliteFileIdentifier = 'TFL3';

export interface TfliteQuantization {
  readonly min: number[];
  readonly max: number[];
  readonly scale: number[];
  readonly zeroPoint: number[];
  readonly quantizedDimension: number;
}

export interface TfliteTensor {
  readonly index: number;
  readonly name: string;
  /** TensorType enum value and name (FLOAT32, INT8…). */
  readonly type: number;
  readonly typeName: string;
  /** The runtime shape; empty both for a scalar and when no shape was recorded (see hasShape). */
  readonly shape: number[];
  /** False when the file records no shape at all, which is not the same as a scalar's empty shape. */
  readonly hasShape: boolean;
  /** Present when the converter recorded dynamic dimensions (-1). */
  readonly shapeSignature?: number[];
  readonly buffer: number;
  /** Bytes of constant data behind this tensor (0 for activations and inputs). */
  readonly bufferBytes: number;
  readonly isVariable: boolean;
  readonly quantization?: TfliteQuantization;
}

export interface TfliteOperatorCode {
  /** Effective BuiltinOperator: max(builtin_code, deprecated_builtin_code), as TFLite itself resolves it. */
  readonly builtinCode: number;
  /** The builtin name, or the custom op's name for CUSTOM. */
  readonly name: string;
  readonly customCode?: string;
  readonly version: number;
}

export interface TfliteOperator {
  readonly opcodeIndex: number;
  readonly name: string;
  readonly isCustom: boolean;
  readonly inputs: number[];
  readonly outputs: number[];
}

export interface TfliteSubgraph {
  readonly name: string;
  readonly tensors: TfliteTensor[];
  readonly inputs: number[];
  readonly outputs: number[];
  readonly operators: TfliteOperator[];
}

export interface TfliteSignatureTensor {
  /** The signature's key for this tensor. */
  readonly name: string;
  readonly tensorIndex: number;
}

export interface TfliteSignature {
  readonly key: string;
  readonly subgraphIndex: number;
  readonly inputs: TfliteSignatureTensor[];
  readonly outputs: TfliteSignatureTensor[];
}

export interface TfliteBufferRange {
  /** Byte offset in the file (0 when empty). */
  readonly offset: number;
  readonly length: number;
}

/** The metadata entry (TFLite's signature_def_util) holding TF Serving signature defs. */
export const signatureDefsMetadataName = 'signature_defs_metadata';

export interface TfliteTypeSummary {
  readonly tensors: number;
  /** Tensors with constant data (weights) and their bytes. */
  readonly constantTensors: number;
  readonly constantBytes: number;
}

export interface TfliteModel {
  readonly schemaVersion: number;
  readonly description: string;
  readonly operatorCodes: TfliteOperatorCode[];
  readonly subgraphs: TfliteSubgraph[];
  readonly signatures: TfliteSignature[];
  /** Where each buffer's bytes are in the file; buffer 0 is the conventional empty sentinel. */
  readonly buffers: TfliteBufferRange[];
  readonly metadataNames: string[];
  /**
   * TF Serving-style signatures from the "signature_defs_metadata" buffer (a FlexBuffer map from signature key
   * to serialized SignatureDef), when the file carries one.
   */
  readonly servingSignatures?: SignatureDef[];
  /** Bytes of constant tensor data (weights), each buffer counted once even when tensors share it. */
  readonly weightBytes: number;
  /** Bytes of all buffers, metadata buffers (runtime version, signature defs) included. */
  readonly bufferBytes: number;
  /** Tensor type name → counts and constant bytes, over all subgraphs. */
  readonly tensorsByType: Record<string, TfliteTypeSummary>;
  /** Operator name → count, over all subgraphs. */
  readonly operatorHistogram: Record<string, number>;
}

/** Decodes the bytes of a .tflite file. Throws ModelDecodeError (kind 'corrupt') on anything else. */
export function decodeTflite(bytes: Uint8Array, fileLabel = 'model.tflite'): TfliteModel {
  const fb = new FlatBuffer(bytes);
  if (fb.identifier() !== tfliteFileIdentifier) {
    throw new ModelDecodeError('corrupt', `${fileLabel} is not a TFLite model: no "${tfliteFileIdentifier}" file identifier`);
  }
  try {
    return readModel(fb.root());
  } catch (e) {
    throw asModelDecodeError(e, fileLabel, 'TFLite model');
  }
}

/** Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4, metadata_buffer 5, metadata 6, signature_defs 7. */
function readModel(model: FlatTable): TfliteModel {
  const schemaVersion = model.u32(0);
  const operatorCodes = model.tables(1, 'operator_codes').map(readOperatorCode);
  const buffers = model.tables(4, 'buffers').map(readBufferRange);
  const bufferSizes = buffers.map((b) => b.length);
  const subgraphs = model.tables(2, 'subgraphs').map((sg, i) => readSubgraph(sg, i, operatorCodes, bufferSizes));
  if (subgraphs.length === 0) throw new ModelDecodeError('corrupt', 'the TFLite model has no subgraphs');
  const signatures = model.tables(7, 'signature_defs').map(readSignature);
  // Metadata: name 0, buffer 1.
  const metadata = model.tables(6, 'metadata').map((m) => ({ name: m.string(0, 'metadata.name') ?? '', buffer: m.u32(1) }));
  const sigMeta = metadata.find((m) => m.name === signatureDefsMetadataName);
  let servingSignatures: SignatureDef[] | undefined;
  if (sigMeta) {
    const range = buffers[sigMeta.buffer];
    if (!range) throw new ModelDecodeError('corrupt', `metadata "${signatureDefsMetadataName}" points at missing buffer ${sigMeta.buffer}`);
    model.fb.check(range.offset, range.length, 'signature_defs_metadata buffer');
    const entries = readFlexStringMap(model.fb.bytes.subarray(range.offset, range.offset + range.length));
    servingSignatures = [...entries].map(([key, sig]) => decodeSignatureDef(sig, key, `${signatureDefsMetadataName}["${key}"]`));
  }

  const tensorsByType: Record<string, { tensors: number; constantTensors: number; constantBytes: number }> = {};
  const operatorHistogram: Record<string, number> = {};
  for (const sg of subgraphs) {
    for (const t of sg.tensors) {
      const s = (tensorsByType[t.typeName] ??= { tensors: 0, constantTensors: 0, constantBytes: 0 });
      s.tensors++;
      if (t.bufferBytes > 0) {
        s.constantTensors++;
        s.constantBytes += t.bufferBytes;
      }
    }
    for (const op of sg.operators) operatorHistogram[op.name] = (operatorHistogram[op.name] ?? 0) + 1;
  }
  return {
    schemaVersion,
    description: model.string(3, 'description') ?? '',
    operatorCodes,
    subgraphs,
    signatures,
    buffers,
    metadataNames: metadata.map((m) => m.name),
    ...(servingSignatures ? { servingSignatures } : {}),
    weightBytes: [...new Set(subgraphs.flatMap((sg) => sg.tensors.filter((t) => t.bufferBytes > 0).map((t) => t.buffer)))]
      .reduce((a, b) => a + bufferSizes[b], 0),
    bufferBytes: bufferSizes.reduce((a, b) => a + b, 0),
    tensorsByType,
    operatorHistogram,
  };
}

/** OperatorCode: deprecated_builtin_code 0 (byte), custom_code 1, version 2 (default 1), builtin_code 3 (int32). */
function readOperatorCode(oc: FlatTable): TfliteOperatorCode {
  const builtinCode = Math.max(oc.i32(3), oc.i8(0));
  const customCode = oc.string(1, 'custom_code');
  const name = builtinCode === customOperatorCode ? customCode ?? 'CUSTOM' : builtinOperatorName(builtinCode);
  return { builtinCode, name, ...(customCode !== undefined ? { customCode } : {}), version: oc.i32(2, 1) };
}

/** Buffer: data 0 ([ubyte]), offset 1, size 2 (offset/size locate data stored after the FlatBuffer, for files over 2 GB). */
function readBufferRange(b: FlatTable): TfliteBufferRange {
  const data = b.vector(0, 1, 'buffer.data');
  if (data) return { offset: data.length ? data.start : 0, length: data.length };
  const offset = safeNumber(b.u64(1), 'buffer.offset');
  // offset 1 is the converter's placeholder for "no data".
  return offset > 1 ? { offset, length: safeNumber(b.u64(2), 'buffer.size') } : { offset: 0, length: 0 };
}

/** SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4. */
function readSubgraph(sg: FlatTable, index: number, codes: TfliteOperatorCode[], bufferSizes: number[]): TfliteSubgraph {
  const where = `subgraph ${index}`;
  const tensors = sg.tables(0, `${where} tensors`).map((t, i) => readTensor(t, i, bufferSizes));
  const operators = sg.tables(3, `${where} operators`).map((op, i) => {
    // Operator: opcode_index 0, inputs 1, outputs 2.
    const opcodeIndex = op.u32(0);
    const code = codes[opcodeIndex];
    if (!code) throw new ModelDecodeError('corrupt', `${where} operator ${i} uses opcode ${opcodeIndex}, but there are ${codes.length}`);
    return {
      opcodeIndex,
      name: code.name,
      isCustom: code.builtinCode === customOperatorCode,
      inputs: op.i32s(1, 'operator inputs'),
      outputs: op.i32s(2, 'operator outputs'),
    };
  });
  return {
    name: sg.string(4, 'subgraph name') ?? '',
    tensors,
    inputs: sg.i32s(1, `${where} inputs`),
    outputs: sg.i32s(2, `${where} outputs`),
    operators,
  };
}

/** Tensor: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5, sparsity 6, shape_signature 7. */
function readTensor(t: FlatTable, index: number, bufferSizes: number[]): TfliteTensor {
  const type = t.i8(1);
  const buffer = t.u32(2);
  const quantization = readQuantization(t.table(4, 'quantization'));
  const shapeSignature = t.has(7) ? t.i32s(7, 'shape_signature') : undefined;
  return {
    index,
    name: t.string(3, 'tensor name') ?? '',
    type,
    typeName: tensorTypeName(type),
    shape: t.i32s(0, 'tensor shape'),
    hasShape: t.has(0),
    ...(shapeSignature ? { shapeSignature } : {}),
    buffer,
    bufferBytes: bufferSizes[buffer] ?? 0,
    isVariable: t.bool(5),
    ...(quantization ? { quantization } : {}),
  };
}

/** QuantizationParameters: min 0, max 1, scale 2, zero_point 3 ([long]), details 4-5 (union), quantized_dimension 6. */
function readQuantization(q: FlatTable | undefined): TfliteQuantization | undefined {
  if (!q) return undefined;
  const scale = q.f32s(2, 'quantization scale');
  const zeroPoint = q.i64s(3, 'quantization zero_point').map((z) => safeNumber(z, 'zero_point'));
  const min = q.f32s(0, 'quantization min');
  const max = q.f32s(1, 'quantization max');
  // Converters attach an empty table to unquantized tensors; that is "no quantization".
  if (scale.length === 0 && zeroPoint.length === 0 && min.length === 0 && max.length === 0) return undefined;
  return { min, max, scale, zeroPoint, quantizedDimension: q.i32(6) };
}

/** SignatureDef: inputs 0, outputs 1 ([TensorMap]), signature_key 2, deprecated_tag 3, subgraph_index 4. */
function readSignature(s: FlatTable): TfliteSignature {
  // TensorMap: name 0, tensor_index 1.
  const map = (m: FlatTable) => ({ name: m.string(0, 'tensor map name') ?? '', tensorIndex: m.u32(1) });
  return {
    key: s.string(2, 'signature_key') ?? '',
    subgraphIndex: s.u32(4),
    inputs: s.tables(0, 'signature inputs').map(map),
    outputs: s.tables(1, 'signature outputs').map(map),
  };
}

function safeNumber(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ModelDecodeError('corrupt', `${what} ${v} is out of range`);
  }
  return Number(v);
}

/** Bytes a dense tensor of this type and shape would take (undefined for variable-size types or dynamic shapes). */
export function denseTensorBytes(type: number, shape: readonly number[]): number | undefined {
  const bits = tensorTypeBitWidth(type);
  if (bits === undefined || shape.some((d) => d < 0)) return undefined;
  return Math.ceil((shape.reduce((a, b) => a * b, 1) * bits) / 8);
}
