// Sample inputs for int8 calibration (TFLite representative dataset, TF-TRT calibration input), checked against the
// serving signature before any Python runs: a wrong name, dtype or shape would otherwise surface minutes later as
// an opaque converter error.
//   .npy  — one array whose first axis indexes samples; for a single-input signature. Each sample keeps a batch
//           axis of 1, so the array has the signature input's rank.
//   .json — TF Serving's row format: a list of instances, or {"instances": [...]}; each instance is an object
//           {"<input key>": value, ...} (or, for a single-input signature, the bare value). A value is one example
//           without the batch axis, as TF Serving takes it; a value that already carries a batch axis is accepted too
//           (its rank then equals the signature's).
import { readFile } from 'node:fs/promises';
import type { NamedTensorInfo, SignatureDef } from '../model/savedModelDecoder';
import { halfBitsToFloat } from '../model/float16';
import { shortDataTypeName } from '../model/tensorflowDataTypes';
import { ConversionError } from './conversionError';

export type SampleFormat = 'npy' | 'json';

/** Calibration feeds numbers only; validation also feeds strings (a text model's input). */
export type SamplePurpose = 'calibration' | 'validation';

/** numpy dtype names for the TensorFlow DataType values a calibration can feed. */
const numpyNameByDataType: Record<number, string> = {
  1: 'float32', 2: 'float64', 3: 'int32', 4: 'uint8', 5: 'int16', 6: 'int8', 9: 'int64', 10: 'bool', 17: 'uint16', 19: 'float16',
};

/** .npy descr (without byte order) → TensorFlow DataType value. */
const dataTypeByNpyDescr: Record<string, number> = {
  f4: 1, f8: 2, i4: 3, u1: 4, i2: 5, i1: 6, i8: 9, b1: 10, u2: 17, f2: 19,
};

export interface SampleInput {
  readonly key: string;
  /** TensorFlow DataType value of the signature input. */
  readonly dtype: number;
  /** numpy dtype name the script casts to ("object" for strings). */
  readonly numpyDtype: string;
  /** Shape of one sample (batch axis included). */
  readonly sampleShape: number[];
  /** The signature's rank (undefined: unknown): a JSON value one rank lower gets the batch axis added. */
  readonly rank?: number;
}

export interface SampleSet {
  readonly file: string;
  readonly format: SampleFormat;
  readonly count: number;
  readonly inputs: SampleInput[];
}

/** One input of one sample: its shape with the batch axis, and its values flattened in row-major order. */
export interface SampleTensor {
  readonly shape: number[];
  readonly values: readonly (number | boolean | string)[];
}

/** One sample: signature input key → tensor (with a batch axis). */
export type SampleExample = Readonly<Record<string, SampleTensor>>;

/** A checked sample set and, decoded on demand, its values (for the requests core builds itself, e.g. warmup). */
interface SampleReading {
  readonly set: SampleSet;
  readonly examples: () => SampleExample[];
}

export function numpyDtypeFor(dtype: number, purpose: SamplePurpose = 'calibration'): string | undefined {
  return purpose === 'validation' && dtype === 7 ? 'object' : numpyNameByDataType[dtype];
}

interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  readonly dataOffset: number;
}

/** Reads the header of a .npy file (format versions 1-3). */
export function readNpyHeader(bytes: Uint8Array, label = 'the .npy file'): NpyHeader {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    throw new ConversionError('invalid-samples', `${label} is not a NumPy .npy file (no \\x93NUMPY magic).`, 'Save it with numpy.save(), or use a .json file.');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new ConversionError('invalid-samples', `${label} is truncated (its header runs past the end).`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new ConversionError('invalid-samples', `${label} has a .npy header this reader does not understand: ${header.trim()}`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + headerLen };
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}

function signatureShape(input: NamedTensorInfo): number[] | undefined {
  if (!input.shape || input.shape.unknownRank) return undefined;
  return input.shape.dims.map((d) => d.size);
}

/** Whether a sample shape fits a signature shape (-1 matches any size; unknown rank matches anything). */
function shapeFits(sample: readonly number[], declared: readonly number[] | undefined): boolean {
  if (!declared) return true;
  return sample.length === declared.length && declared.every((d, i) => d < 0 || d === sample[i]);
}

function inputsOf(signature: SignatureDef, purpose: SamplePurpose = 'calibration'): NamedTensorInfo[] {
  if (signature.inputs.length === 0) {
    throw new ConversionError('invalid-samples', `Signature "${signature.key}" takes no inputs, so there is nothing to ${purpose === 'calibration' ? 'calibrate' : 'feed'}.`);
  }
  for (const input of signature.inputs) {
    if (!numpyDtypeFor(input.dtype, purpose)) {
      throw new ConversionError('invalid-samples',
        `Input "${input.key}" of signature "${signature.key}" is ${shortDataTypeName(input.dtype)}, which calibration cannot feed.`,
        'Calibration needs numeric or bool inputs; convert without int8, or export a signature that takes the decoded tensor.');
    }
  }
  return signature.inputs;
}

/** Loads and checks a sample file against the signature's inputs. Throws ConversionError('invalid-samples'). */
export async function loadSampleSet(file: string, signature: SignatureDef, purpose: SamplePurpose = 'calibration'): Promise<SampleSet> {
  return (await readSampleFile(file, signature, purpose)).set;
}

/** The same reading and checks as loadSampleSet, with every sample's values. */
export async function loadSampleExamples(file: string, signature: SignatureDef, purpose: SamplePurpose = 'validation'): Promise<{ set: SampleSet; examples: SampleExample[] }> {
  const reading = await readSampleFile(file, signature, purpose);
  return { set: reading.set, examples: reading.examples() };
}

async function readSampleFile(file: string, signature: SignatureDef, purpose: SamplePurpose): Promise<SampleReading> {
  const lower = file.toLowerCase();
  if (!lower.endsWith('.npy') && !lower.endsWith('.json')) {
    throw new ConversionError('invalid-samples', `${file} is neither .npy nor .json.`, 'Provide sample inputs as a NumPy .npy array or a JSON list of {input: tensor} objects.');
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new ConversionError('invalid-samples', `Cannot read ${file}: ${(e as Error).message}`);
  }
  return lower.endsWith('.npy') ? readNpySamples(file, bytes, signature) : readJsonSamples(file, bytes, signature, purpose);
}

export function checkNpySamples(file: string, bytes: Uint8Array, signature: SignatureDef): SampleSet {
  return readNpySamples(file, bytes, signature).set;
}

function readNpySamples(file: string, bytes: Uint8Array, signature: SignatureDef): SampleReading {
  const inputs = inputsOf(signature);
  if (inputs.length !== 1) {
    throw new ConversionError('invalid-samples',
      `Signature "${signature.key}" has ${inputs.length} inputs (${inputs.map((i) => i.key).join(', ')}); a .npy file holds one array.`,
      'Use a .json file: a list of objects with one key per input.');
  }
  const input = inputs[0];
  const header = readNpyHeader(bytes, file);
  const descr = header.descr.replace(/^[<>|=]/, '');
  const npyType = dataTypeByNpyDescr[descr];
  if (npyType === undefined) throw new ConversionError('invalid-samples', `${file} holds "${header.descr}" values, which is not a numeric type calibration can use.`);
  if (header.fortranOrder) throw new ConversionError('invalid-samples', `${file} is in Fortran order.`, 'Save a C-ordered array (numpy.ascontiguousarray) instead.');
  const count = header.shape[0] ?? 0;
  if (header.shape.length === 0 || count === 0) throw new ConversionError('invalid-samples', `${file} holds no samples (shape ${formatShape(header.shape)}).`);
  const sampleShape = [1, ...header.shape.slice(1)];
  const declared = signatureShape(input);
  if (!shapeFits(sampleShape, declared)) {
    throw new ConversionError('invalid-samples',
      `${file} has shape ${formatShape(header.shape)}: each sample is ${formatShape(sampleShape)}, but input "${input.key}" takes ${formatShape(declared!)}.`,
      `Save an array of shape [samples, ${declared!.slice(1).map((d) => (d < 0 ? 'any' : d)).join(', ')}]; the first axis counts samples and becomes the batch axis of 1.`);
  }
  checkDtypeCompatible(file, npyType, input, npyType === input.dtype);
  return {
    set: { file, format: 'npy', count, inputs: [{ key: input.key, dtype: input.dtype, numpyDtype: numpyDtypeFor(input.dtype)!, sampleShape, ...(declared ? { rank: declared.length } : {}) }] },
    examples: () => npyExamples(file, bytes, header, descr, input.key),
  };
}

/** .npy values as numbers (int64 beyond 2^53 loses precision) or booleans, one sample per first-axis index. */
function npyExamples(file: string, bytes: Uint8Array, header: NpyHeader, descr: string, key: string): SampleExample[] {
  const width = Number(descr.slice(1));
  const little = !header.descr.startsWith('>');
  const perSample = header.shape.slice(1).reduce((a, b) => a * b, 1);
  const count = header.shape[0];
  if (header.dataOffset + count * perSample * width > bytes.length) {
    throw new ConversionError('invalid-samples', `${file} is truncated: shape ${formatShape(header.shape)} needs ${count * perSample * width} bytes of data.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, count * perSample * width);
  const read = (at: number): number | boolean => {
    switch (descr) {
      case 'f4': return view.getFloat32(at, little);
      case 'f8': return view.getFloat64(at, little);
      case 'f2': return halfBitsToFloat(view.getUint16(at, little));
      case 'i1': return view.getInt8(at);
      case 'u1': return view.getUint8(at);
      case 'i2': return view.getInt16(at, little);
      case 'u2': return view.getUint16(at, little);
      case 'i4': return view.getInt32(at, little);
      case 'i8': return Number(view.getBigInt64(at, little));
      default: return view.getUint8(at) !== 0; // b1
    }
  };
  const shape = [1, ...header.shape.slice(1)];
  return Array.from({ length: count }, (_, n) => ({
    [key]: { shape, values: Array.from({ length: perSample }, (_, i) => read((n * perSample + i) * width)) },
  }));
}


/** Values of another numeric width are cast by the script; floats into an integer input would be truncated. */
function checkDtypeCompatible(file: string, given: number | 'int' | 'float' | 'bool', input: NamedTensorInfo, exact: boolean): void {
  if (exact) return;
  const isFloat = (t: number) => t === 1 || t === 2 || t === 19;
  const isBool = (t: number) => t === 10;
  const givenFloat = given === 'float' || (typeof given === 'number' && isFloat(given));
  const givenBool = given === 'bool' || (typeof given === 'number' && isBool(given));
  const name = typeof given === 'number' ? shortDataTypeName(given) : given;
  if (givenFloat && !isFloat(input.dtype)) {
    throw new ConversionError('invalid-samples', `${file} holds ${name} values but input "${input.key}" is ${shortDataTypeName(input.dtype)}.`, 'Give integer values for an integer input.');
  }
  if (givenBool !== isBool(input.dtype)) {
    throw new ConversionError('invalid-samples', `${file} holds ${name} values but input "${input.key}" is ${shortDataTypeName(input.dtype)}.`);
  }
}

/** Shape of a nested JSON array, and the kind of its leaves; undefined when ragged or mixed. */
function jsonTensor(value: unknown): { shape: number[]; kind: 'int' | 'float' | 'bool' | 'string' | 'other' } | undefined {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  let kind: 'int' | 'float' | 'bool' | 'string' | 'other' | undefined;
  const visit = (v: unknown, depth: number): boolean => {
    if (depth < shape.length) return Array.isArray(v) && v.length === shape[depth] && v.every((x) => visit(x, depth + 1));
    if (Array.isArray(v)) return false;
    const k = typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'string' ? 'string' : 'other';
    if (kind === undefined || kind === k) kind = k;
    else if ((kind === 'int' && k === 'float') || (kind === 'float' && k === 'int')) kind = 'float';
    else kind = 'other';
    return true;
  };
  if (!visit(value, 0)) return undefined;
  return { shape, kind: kind ?? 'float' };
}

/** The instances of a row-format file: a list, or {"instances": list}. */
function jsonInstances(file: string, data: unknown, example: string): unknown[] {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const obj = data as Record<string, unknown>;
    if (Array.isArray(obj.instances)) data = obj.instances;
    else if ('inputs' in obj) {
      throw new ConversionError('invalid-samples', `${file} is in TF Serving's columnar format ({"inputs": ...}), which is not read here.`,
        `Use the row format: {"instances": [${example}, ...]}.`);
    }
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new ConversionError('invalid-samples', `${file} must hold a non-empty JSON list of instances, or {"instances": [...]}.`, `Each instance is an object like ${example}.`);
  }
  return data;
}

export function checkJsonSamples(file: string, bytes: Uint8Array, signature: SignatureDef, purpose: SamplePurpose = 'calibration'): SampleSet {
  return readJsonSamples(file, bytes, signature, purpose).set;
}

/** Examples already in memory in the JSON file's shape (`{"instances": [...]}` or a list); `label` names them in messages. */
export function jsonSampleExamples(label: string, data: unknown, signature: SignatureDef, purpose: SamplePurpose = 'validation'): SampleExample[] {
  return jsonSamples(label, data, signature, purpose).examples();
}

function readJsonSamples(file: string, bytes: Uint8Array, signature: SignatureDef, purpose: SamplePurpose): SampleReading {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (e) {
    throw new ConversionError('invalid-samples', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  return jsonSamples(file, data, signature, purpose);
}

function jsonSamples(file: string, data: unknown, signature: SignatureDef, purpose: SamplePurpose): SampleReading {
  const inputs = inputsOf(signature, purpose);
  const expected = inputs.map((i) => i.key).join(', ');
  const example = `{${inputs.map((i) => `"${i.key}": ...`).join(', ')}}`;
  const instances = jsonInstances(file, data, example);
  const shapes = new Map<string, number[]>();
  const examples: SampleExample[] = [];
  instances.forEach((instance, n) => {
    const example: Record<string, SampleTensor> = {};
    const where = `${file}, instance ${n}`;
    const bare = inputs.length === 1 && (typeof instance !== 'object' || instance === null || Array.isArray(instance));
    const sample = bare ? { [inputs[0].key]: instance } : instance;
    if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
      throw new ConversionError('invalid-samples', `${where} is not an object of input values.`, `Use objects with the keys ${expected}.`);
    }
    const keys = Object.keys(sample);
    const unknown = keys.filter((k) => !inputs.some((i) => i.key === k));
    if (unknown.length) {
      throw new ConversionError('invalid-samples', `${where} has ${unknown.map((k) => `"${k}"`).join(', ')}, which signature "${signature.key}" does not take.`, `Its inputs are ${expected}.`);
    }
    for (const input of inputs) {
      if (!(input.key in sample)) throw new ConversionError('invalid-samples', `${where} lacks input "${input.key}".`, `Every instance needs ${expected}.`);
      const t = jsonTensor((sample as Record<string, unknown>)[input.key]);
      const isString = input.dtype === 7;
      if (!t || t.kind === 'other' || (t.kind === 'string') !== isString) {
        throw new ConversionError('invalid-samples', `${where}: "${input.key}" is not a rectangular array of ${isString ? 'strings' : 'numbers or booleans'}.`);
      }
      const declared = signatureShape(input);
      // One example without the batch axis (TF Serving's rows), or already batched.
      const batched = declared && t.shape.length === declared.length - 1 ? [1, ...t.shape] : t.shape;
      if (!shapeFits(batched, declared)) {
        throw new ConversionError('invalid-samples', `${where}: "${input.key}" has shape ${formatShape(t.shape)}, but the signature takes ${formatShape(declared!)} (one example is ${formatShape(declared!.slice(1))}).`,
          'Give one example per instance without the batch axis, as TF Serving\'s {"instances": [...]} takes it.');
      }
      if (!isString) checkDtypeCompatible(where, t.kind === 'int' ? 'int' : t.kind === 'float' ? 'float' : 'bool', input, t.kind === 'int' && !(input.dtype === 10));
      if (!shapes.has(input.key)) shapes.set(input.key, batched);
      example[input.key] = { shape: batched, values: [(sample as Record<string, unknown>)[input.key]].flat(Infinity) as (number | boolean | string)[] };
    }
    examples.push(example);
  });
  return {
    set: {
      file,
      format: 'json',
      count: instances.length,
      inputs: inputs.map((i) => {
        const declared = signatureShape(i);
        return { key: i.key, dtype: i.dtype, numpyDtype: numpyDtypeFor(i.dtype, purpose)!, sampleShape: shapes.get(i.key)!, ...(declared ? { rank: declared.length } : {}) };
      }),
    },
    examples: () => examples,
  };
}
