// Checks a warmup file the way TF Serving's loader reads it (saved_model_warmup_util.cc): records in order, each
// framed, parsed and run before the next; the first failure fails the version's load. Every problem names the
// record (counted from 0, as tf.data counts them); `loadFailure` is the status TF Serving's load ends with.
import type { NamedTensorInfo, SignatureDef } from '../model/savedModelDecoder';
import { shortDataTypeName } from '../model/tensorflowDataTypes';
import { decodeWarmupRecord, LOG_TYPE_FIELD_NUMBER, type WarmupLogType, type WarmupPredictRequest } from './predictionLog';
import { readTfRecords } from './tfRecord';
import { MAX_WARMUP_RECORDS } from './warmupFile';
import { elementCount } from './warmupTensor';

export interface WarmupProblem {
  /** The record it concerns (from 0); absent for the file as a whole. */
  readonly record?: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface WarmupLoadFailure {
  readonly record?: number;
  /** absl status code name, as TF Serving prints it: DATA_LOSS, INVALID_ARGUMENT… */
  readonly code: string;
  /** The status message (TF Serving's own text where its source gives it). */
  readonly message: string;
}

export interface WarmupCheck {
  /** Records read (stops at the first that cannot be framed, or after one past the limit). */
  readonly records: number;
  readonly predictRequests: number;
  readonly otherLogs: Partial<Record<WarmupLogType | 'empty', number>>;
  readonly problems: WarmupProblem[];
  readonly loadFailure?: WarmupLoadFailure;
}

/** At most this many per-record problems are listed; the rest are counted. */
const MAX_LISTED_PROBLEMS = 20;

const DEFAULT_SIGNATURE = 'serving_default';
const SERVABLE_METHODS = ['tensorflow/serving/predict', 'tensorflow/serving/classify', 'tensorflow/serving/regress'];

/** Printable text of record bytes, as far as a message should show them. */
function bytePreview(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 48), (b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`)).join('');
  return bytes.length > 48 ? `${shown}…` : shown;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}

interface RecordVerdict {
  readonly errors: { readonly message: string; readonly code: string; readonly status: string }[];
  readonly warnings: string[];
}

/** What TF Serving's RunPredict does with a warmup request before running it (predict_util.cc, util.cc). */
function checkPredict(request: WarmupPredictRequest & { readonly unknownRank: readonly string[] }, signatures: readonly SignatureDef[]): RecordVerdict {
  const errors: RecordVerdict['errors'] = [];
  const warnings: string[] = [];
  const name = request.signatureName || DEFAULT_SIGNATURE;
  const signature = signatures.find((s) => s.key === name);
  const callable = signatures.map((s) => s.key).filter((k) => !k.startsWith('__'));
  if (!signature) {
    const status = `Serving signature key "${name}" not found.`;
    errors.push({ code: 'FAILED_PRECONDITION', status, message: `it asks for signature "${name}", which the model does not have (it has ${callable.join(', ') || 'none'}).` });
    return { errors, warnings };
  }
  if (!SERVABLE_METHODS.includes(signature.methodName)) {
    const status = `Expected prediction signature method_name to be one of {${SERVABLE_METHODS.join(', ')}}. Was: ${signature.methodName}`;
    errors.push({ code: 'INTERNAL', status, message: `signature "${name}" has method "${signature.methodName}", which Predict cannot run.` });
    return { errors, warnings };
  }
  const sent = Object.keys(request.inputs).sort();
  const wanted = signature.inputs.map((i) => i.key).sort();
  const extra = sent.filter((k) => !wanted.includes(k));
  const missing = wanted.filter((k) => !sent.includes(k) && !signature.defaults.some((d) => d.key === k));
  if (sent.length > wanted.length || (sent.length < wanted.length && signature.defaults.length === 0)) {
    const status = `input size does not match signature: ${sent.length}!=${wanted.length} len({${sent.join(',')}}) != len({${wanted.join(',')}}). Sent extra: {${extra.join(',')}}. Missing but required: {${wanted.filter((k) => !sent.includes(k)).join(',')}}.`;
    errors.push({ code: 'INVALID_ARGUMENT', status, message: `it sends ${sent.length} input(s) (${sent.join(', ') || 'none'}) to signature "${name}", which takes ${wanted.length} (${wanted.join(', ')}).` });
    return { errors, warnings };
  }
  if (extra.length || missing.length) {
    const message = `${extra.length ? `input(s) ${extra.map((k) => `"${k}"`).join(', ')} are not in signature "${name}"` : ''}${extra.length && missing.length ? '; ' : ''}${missing.length ? `input(s) ${missing.map((k) => `"${k}"`).join(', ')} are missing` : ''} (it takes ${wanted.join(', ')}).`;
    errors.push({ code: 'INVALID_ARGUMENT', status: message, message });
  }
  for (const key of sent) {
    const input = signature.inputs.find((i) => i.key === key);
    if (input) checkTensor(key, request, input, errors, warnings);
  }
  return { errors, warnings };
}

function checkTensor(key: string, request: WarmupPredictRequest & { readonly unknownRank: readonly string[] }, input: NamedTensorInfo, errors: RecordVerdict['errors'], warnings: string[]): void {
  const tensor = request.inputs[key];
  if (tensor.dtype !== input.dtype) {
    const message = `input "${key}" is ${shortDataTypeName(tensor.dtype)}, but the signature takes ${shortDataTypeName(input.dtype)}.`;
    errors.push({ code: 'INVALID_ARGUMENT', status: message, message });
    return;
  }
  const elements = elementCount(tensor.shape);
  if (tensor.values.length > elements) {
    // Tensor::FromProto refuses more values than the shape holds.
    const message = `input "${key}" has ${tensor.values.length} values for shape ${shapeText(tensor.shape)} (${elements} elements), so it is not a valid tensor.`;
    errors.push({ code: 'INVALID_ARGUMENT', status: `tensor parsing error: ${key}`, message });
    return;
  }
  if (tensor.values.length > 1 && tensor.values.length < elements) {
    warnings.push(`input "${key}" has ${tensor.values.length} values for shape ${shapeText(tensor.shape)}: TensorFlow repeats the last value for the other ${elements - tensor.values.length}.`);
  }
  const declared = input.shape && !input.shape.unknownRank ? input.shape.dims.map((d) => d.size) : undefined;
  if (declared && !request.unknownRank.includes(key)) {
    const fits = tensor.shape.length === declared.length && declared.every((d, i) => d < 0 || d === tensor.shape[i]);
    if (!fits) {
      const message = `input "${key}" has shape ${shapeText(tensor.shape)}, but the signature takes ${shapeText(declared)}.`;
      errors.push({ code: 'INVALID_ARGUMENT', status: message, message });
    }
  }
}

/**
 * Checks a warmup file's bytes. `signatures` are the serving meta graph's (undefined: the model's signatures are
 * not known here, e.g. a TFLite version; only framing and parsing are checked). `path` is the file as TF Serving
 * names it in messages.
 */
export async function checkWarmupFile(bytes: Uint8Array, path: string, signatures: readonly SignatureDef[] | undefined): Promise<WarmupCheck> {
  const reading = readTfRecords(bytes, MAX_WARMUP_RECORDS + 1);
  const problems: WarmupProblem[] = [];
  const otherLogs: WarmupCheck['otherLogs'] = {};
  let loadFailure: WarmupLoadFailure | undefined;
  let predictRequests = 0;
  let unlisted = 0;
  const add = (p: WarmupProblem) => {
    if (p.record !== undefined && problems.filter((x) => x.record !== undefined).length >= MAX_LISTED_PROBLEMS) unlisted++;
    else problems.push(p);
  };
  const fail = (f: WarmupLoadFailure) => { loadFailure ??= f; };
  const readRecord = async (index: number, data: Uint8Array): Promise<void> => {
    const decoded = await decodeWarmupRecord(data);
    if (!decoded.ok) {
      add({ record: index, severity: 'error', message: `record ${index} is not a PredictionLog (${decoded.reason}).` });
      fail({ record: index, code: 'INVALID_ARGUMENT', message: `Failed to parse warmup record: ${bytePreview(data)} from ${path}` });
      return;
    }
    const type = decoded.logType;
    if (type === 'predict_log') predictRequests++;
    else otherLogs[type ?? 'empty'] = (otherLogs[type ?? 'empty'] ?? 0) + 1;
    if (type === 'predict_streamed_log' || type === 'session_run_log') {
      add({ record: index, severity: 'error', message: `record ${index} is a ${type}, which TF Serving cannot run as warmup.` });
      fail({ record: index, code: 'UNIMPLEMENTED', message: `Unsupported log_type for warmup: ${LOG_TYPE_FIELD_NUMBER[type]}` });
    } else if (type === undefined) {
      add({ record: index, severity: 'warning', message: `record ${index} is an empty PredictionLog: TF Serving reads it and runs nothing.` });
    } else if (type === 'predict_log' && decoded.predict && signatures) {
      const verdict = checkPredict(decoded.predict, signatures);
      for (const e of verdict.errors) {
        add({ record: index, severity: 'error', message: `record ${index}: ${e.message}` });
        fail({ record: index, code: e.code, message: e.status });
      }
      for (const w of verdict.warnings) add({ record: index, severity: 'warning', message: `record ${index}: ${w}` });
    }
  };
  for (const [index, record] of reading.records.entries()) {
    await readRecord(index, record.data);
    if (index + 1 > MAX_WARMUP_RECORDS) {
      // TF Serving runs record 1,000 (the 1,001st), then counts it and refuses the file.
      add({ severity: 'error', message: `The file holds more than ${MAX_WARMUP_RECORDS.toLocaleString('en-US')} records, the most TF Serving reads: it fails the load at record ${index}. Keep at most ${MAX_WARMUP_RECORDS.toLocaleString('en-US')}.` });
      fail({ record: index, code: 'INVALID_ARGUMENT', message: `Number of warmup records exceeds the maximum (${MAX_WARMUP_RECORDS}) at ${path}` });
      break;
    }
  }
  if (reading.error) {
    const e = reading.error;
    add({ record: e.index, severity: 'error', message: `record ${e.index} (at byte ${e.offset}) is ${e.kind === 'truncated' ? 'cut off: the file ends inside it' : `corrupt: the CRC of its ${e.part === 'length' ? 'length' : 'data'} does not match`}.` });
    fail({ record: e.index, code: 'DATA_LOSS', message: `${e.message}. Please verify your warmup data is in TFRecord format.` });
  }
  if (reading.ignoredTailBytes > 0) {
    add({ severity: 'warning', message: `The last ${reading.ignoredTailBytes} byte(s) are too short for a record header; TensorFlow reads them as the end of the file, so a record may have been cut off there.` });
  }
  if (unlisted > 0) problems.push({ severity: 'warning', message: `… and ${unlisted} more problem(s) in later records.` });
  if (reading.records.length === 0 && !reading.error) add({ severity: 'warning', message: 'The file holds no records: TF Serving loads the version without warming it up.' });
  return { records: reading.records.length, predictRequests, otherLogs, problems, ...(loadFailure ? { loadFailure } : {}) };
}

/** "warmup: 10 predict requests", plus what else the file holds and the failure, for the tree and `inspect`. */
export function warmupSummary(check: WarmupCheck): string {
  const others = Object.entries(check.otherLogs).map(([type, n]) => `${n} ${type.replace(/_log$/, '').replace(/_/g, '-')}`);
  const counts = [`${check.predictRequests} predict request${check.predictRequests === 1 ? '' : 's'}`, ...others].join(', ');
  return `warmup: ${counts}${check.loadFailure ? ` — fails the load at record ${check.loadFailure.record}` : ''}`;
}

/** The loader's line for a failed load, as TF Serving logs it. */
export function warmupLoadFailureText(failure: WarmupLoadFailure): string {
  return `${failure.code}: ${failure.message}`;
}
