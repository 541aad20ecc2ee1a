// Predict requests for a warmup file, built from sample inputs: a JSON file of instances in TF Serving's row format
// (or such instances in memory) or a .npy representative dataset (read by the conversion's sample reader), or seeded inputs generated from the
// signature (the generator Compare Outputs uses). Each request holds `batchSize` examples, so the first dimension
// matches the batches the server will see.
import { ConversionError } from '../convert/conversionError';
import { generateExamples, generatedInputsFor } from '../convert/generatedInputs';
import { jsonSampleExamples, loadSampleExamples, type SampleExample } from '../convert/sampleInputs';
import type { SignatureDef } from '../model/savedModelDecoder';
import { shortDataTypeName } from '../model/tensorflowDataTypes';
import type { WarmupPredictRequest } from './predictionLog';
import { MAX_WARMUP_RECORDS } from './warmupFile';
import { isWarmupDataType, type WarmupTensor } from './warmupTensor';

export const DEFAULT_GENERATED_WARMUP_RECORDS = 10;

const utf8 = new TextEncoder();

export type WarmupInputs =
  | { readonly kind: 'file'; readonly file: string }
  /** Examples in TF Serving's row format already in memory (what Send Test Request sent); `label` names them in messages. */
  | { readonly kind: 'instances'; readonly instances: readonly unknown[]; readonly label: string }
  | { readonly kind: 'generated'; readonly seed?: number };

export interface WarmupRequestOptions {
  readonly modelName: string;
  readonly signature: SignatureDef;
  readonly inputs: WarmupInputs;
  /** Examples per request (default 1). */
  readonly batchSize?: number;
  /** Requests to write: default every batch of the file, or 10 generated ones. */
  readonly records?: number;
}

export class WarmupError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

function checkCount(value: number, what: string, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new WarmupError(`${what} must be a whole number from 1 to ${max.toLocaleString('en-US')}, not ${value}.`,
      what.startsWith('--records') ? `TF Serving reads at most ${MAX_WARMUP_RECORDS.toLocaleString('en-US')} warmup records and fails the load of a version whose file holds more.` : undefined);
  }
}

/** Concatenates examples along the batch axis; they must agree on every other dimension. */
function batchOf(examples: readonly SampleExample[], signature: SignatureDef, label: (i: number) => string): Record<string, WarmupTensor> {
  const inputs: Record<string, WarmupTensor> = {};
  for (const input of signature.inputs) {
    const parts = examples.map((e) => e[input.key]);
    const rest = parts[0].shape.slice(1);
    parts.forEach((p, i) => {
      if (p.shape.length === 0 && examples.length > 1) {
        throw new WarmupError(`Input "${input.key}" is a scalar, so examples cannot be batched.`, 'Use --batch-size 1.');
      }
      if (p.shape.slice(1).join(',') !== rest.join(',')) {
        throw new WarmupError(`${label(i)}: "${input.key}" has shape [${p.shape.slice(1).join(', ')}] per example, but the batch started with [${rest.join(', ')}].`,
          'Examples batched into one request need the same shape; use --batch-size 1 or give examples of one shape.');
      }
    });
    const shape = parts[0].shape.length === 0 ? [] : [parts.reduce((n, p) => n + p.shape[0], 0), ...rest];
    inputs[input.key] = { dtype: input.dtype, shape, values: parts.flatMap((p) => p.values.map((v) => (typeof v === 'string' ? utf8.encode(v) : v))) };
  }
  return inputs;
}

export async function buildWarmupRequests(options: WarmupRequestOptions): Promise<WarmupPredictRequest[]> {
  const { signature } = options;
  const batchSize = options.batchSize ?? 1;
  checkCount(batchSize, '--batch-size', 100_000);
  if (options.records !== undefined) checkCount(options.records, '--records', MAX_WARMUP_RECORDS);
  const unwritable = signature.inputs.find((i) => !isWarmupDataType(i.dtype));
  if (unwritable) throw new WarmupError(`Input "${unwritable.key}" of signature "${signature.key}" is ${shortDataTypeName(unwritable.dtype)}, which warmup requests cannot carry.`);
  try {
    let examples: SampleExample[];
    let label: (i: number) => string;
    let records: number;
    if (options.inputs.kind === 'file' || options.inputs.kind === 'instances') {
      const inputs = options.inputs;
      const file = inputs.kind === 'file' ? inputs.file : inputs.label;
      examples = inputs.kind === 'file' ? (await loadSampleExamples(file, signature, 'validation')).examples : jsonSampleExamples(file, { instances: inputs.instances }, signature);
      label = (i) => `${file}, instance ${i}`;
      const batches = Math.ceil(examples.length / batchSize);
      records = options.records ?? batches;
      if (records > MAX_WARMUP_RECORDS) {
        throw new WarmupError(`${file} holds ${examples.length.toLocaleString('en-US')} examples, ${batches.toLocaleString('en-US')} requests of ${batchSize}: more than the ${MAX_WARMUP_RECORDS.toLocaleString('en-US')} records TF Serving reads (it fails the load of a version whose warmup file holds more).`,
          `Pass --records ${MAX_WARMUP_RECORDS} (or fewer) to use the first examples, or a larger --batch-size.`);
      }
    } else {
      records = options.records ?? DEFAULT_GENERATED_WARMUP_RECORDS;
      // Generated examples already carry the batch: one example of batchSize per request.
      const generated = generateExamples(generatedInputsFor(signature), records, options.inputs.seed ?? 0, batchSize);
      return generated.map((e) => ({ modelName: options.modelName, signatureName: signature.key, inputs: batchOf([e], signature, (i) => `generated example ${i}`) }));
    }
    // Requests take consecutive examples; with --records beyond the file's batches, they start over.
    return Array.from({ length: records }, (_, r) => {
      const picked = Array.from({ length: batchSize }, (_, k) => (r * batchSize + k) % examples.length);
      return { modelName: options.modelName, signatureName: signature.key, inputs: batchOf(picked.map((i) => examples[i]), signature, (i) => label(picked[i])) };
    });
  } catch (e) {
    if (e instanceof ConversionError) throw new WarmupError(e.message, e.hint);
    throw e;
  }
}
