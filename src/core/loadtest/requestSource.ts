// The requests a load test sends: generated from the served signature (seeded, a chosen batch size), or a JSON
// body file sent as it is. Generated inputs come from the one seeded generator Compare Outputs and warmup requests
// use (convert/generatedInputs.ts): the same dtypes, shapes and refusals, in plain Node so a load test needs no Python.
import { readFile } from 'node:fs/promises';
import { GENERATED_INPUTS_RULE, generateExamples, generatedInputsFor, nestedValues, type GeneratedInput } from '../convert/generatedInputs';
import type { NamedTensorInfo, SignatureDef } from '../model/savedModelDecoder';
import { dataTypeValue } from '../model/tensorflowDataTypes';
import { TfServingClient, type VersionSelector } from '../serving/tfServingClient';

export interface RequestSet {
  /** JSON bodies of TF Serving's predict call, sent in turn. */
  readonly bodies: readonly string[];
  readonly examplesPerRequest: number;
  readonly description: string;
  /** How generated values are drawn. */
  readonly rule?: string;
}

export class RequestSourceError extends Error {
  constructor(message: string, readonly hint?: string) { super(message); }
}

/** Distinct generated bodies a run cycles through (enough to defeat a response cache, small to build). */
export const GENERATED_BODIES = 16;

type MetadataTensor = { dtype?: string; tensor_shape?: { dim?: { size: string | number }[]; unknown_rank?: boolean } };

/** A served signature (TF Serving's metadata JSON) in the decoder's terms, so the conversion check's rules apply. */
export function signatureFromMetadata(key: string, json: unknown): SignatureDef {
  const inputs = (json as { inputs?: Record<string, MetadataTensor> })?.inputs ?? {};
  const tensors: NamedTensorInfo[] = Object.entries(inputs).map(([name, t]) => ({
    key: name,
    dtype: dataTypeValue(t.dtype ?? '') ?? 0,
    encoding: { kind: 'name', name },
    ...(t.tensor_shape ? { shape: { unknownRank: !!t.tensor_shape.unknown_rank, dims: (t.tensor_shape.dim ?? []).map((d) => ({ size: Number(d.size), name: '' })) } } : {}),
  }));
  return { key, inputs: tensors, outputs: [], methodName: '', defaults: [] };
}

/** The signatures a server's metadata answer offers (TF Serving's `__saved_model_init_op` is not one to call). */
export function servedSignatureKeys(signatureDefs: Record<string, unknown>): string[] {
  return Object.keys(signatureDefs).filter((k) => !k.startsWith('__')).sort((a, b) => (a === 'serving_default' ? -1 : b === 'serving_default' ? 1 : a.localeCompare(b)));
}

export function requestsFromSignature(signature: SignatureDef, batch: number, seed = 0, count = GENERATED_BODIES): RequestSet {
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RequestSourceError(`The batch size must be a whole number of at least 1 (got ${batch}).`);
  if (!signature.inputs.length) throw new RequestSourceError(`Signature "${signature.key}" takes no inputs to generate.`, 'Pass a JSON body instead.');
  let inputs: GeneratedInput[];
  try {
    inputs = generatedInputsFor(signature);
  } catch (e) {
    throw new RequestSourceError((e as Error).message, 'Pass a JSON body file with the request to send.');
  }
  const fixedBatch = inputs.map((i) => i.shape?.[0]).find((d) => d !== undefined && d > 0);
  if (fixedBatch !== undefined && fixedBatch !== batch) {
    throw new RequestSourceError(`Signature "${signature.key}" takes batches of exactly ${fixedBatch}; a batch of ${batch} would be refused.`, `Use a batch size of ${fixedBatch}.`);
  }
  // One generated example per body, its unknown first axis filled with the batch, then split into TF Serving's rows.
  const bodies = generateExamples(inputs, count, seed, batch).map((example) => {
    const columns = Object.fromEntries(inputs.map((inp) => {
      const nested = nestedValues(example[inp.key].shape, example[inp.key].values);
      return [inp.key, Array.isArray(nested) ? nested : [nested]]; // a scalar input repeats in every row
    }));
    const row = (key: string, i: number): unknown => columns[key][i % columns[key].length];
    const instances = Array.from({ length: batch }, (_, i) => (inputs.length === 1 ? row(inputs[0].key, i) : Object.fromEntries(inputs.map((inp) => [inp.key, row(inp.key, i)]))));
    return JSON.stringify({ ...(signature.key !== 'serving_default' ? { signature_name: signature.key } : {}), instances });
  });
  return { bodies, examplesPerRequest: batch, description: `${count} generated requests of ${batch} example${batch === 1 ? '' : 's'} (signature ${signature.key}, seed ${seed})`, rule: GENERATED_INPUTS_RULE };
}

/** A JSON body file, sent as it is; its examples are the length of `instances` or of the first input's batch axis. */
export async function requestsFromBodyFile(file: string): Promise<RequestSet> {
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch (e) {
    throw new RequestSourceError(`Cannot read the body file ${file}: ${(e as Error).message}`);
  }
  return requestsFromBody(text, file);
}

export function requestsFromBody(text: string, file: string): RequestSet {
  let body: unknown;
  try { body = JSON.parse(text); } catch (e) {
    throw new RequestSourceError(`${file} is not JSON: ${(e as Error).message}`, 'Give a predict request body such as {"instances": [[1.0, 2.0]]}.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body) || (!('instances' in body) && !('inputs' in body))) {
    throw new RequestSourceError(`${file} is not a TF Serving predict body: it needs "instances" (row format) or "inputs" (columnar).`, 'For example {"instances": [[1.0, 2.0]]}.');
  }
  const b = body as { instances?: unknown; inputs?: unknown };
  let examples = 1;
  if (Array.isArray(b.instances)) examples = b.instances.length;
  else if (Array.isArray(b.inputs)) examples = b.inputs.length;
  else if (b.inputs && typeof b.inputs === 'object') {
    const first = Object.values(b.inputs as Record<string, unknown>)[0];
    if (Array.isArray(first)) examples = first.length;
  }
  return { bodies: [JSON.stringify(body)], examplesPerRequest: Math.max(1, examples), description: `the body in ${file} (${examples} example${examples === 1 ? '' : 's'})` };
}

/** The served signatures of the target model (TF Serving's metadata call). */
export async function servedSignatureDefs(restUrl: string, model: string, version?: VersionSelector): Promise<Record<string, unknown>> {
  const meta = await new TfServingClient(restUrl, 10_000).metadata(model, version);
  return meta.value.metadata?.signature_def?.signature_def ?? {};
}

/** The signature to generate for: the one asked for, else serving_default, else the only one. */
export function chooseSignature(defs: Record<string, unknown>, key: string | undefined, model: string): SignatureDef {
  const keys = servedSignatureKeys(defs);
  const chosen = key ?? (keys.includes('serving_default') ? 'serving_default' : keys.length === 1 ? keys[0] : undefined);
  if (!chosen || !(chosen in defs)) {
    throw new RequestSourceError(
      key ? `${model} has no signature "${key}".` : `${model} has ${keys.length} signatures and none is serving_default.`,
      `Choose one of: ${keys.join(', ') || '(none)'}.`);
  }
  return signatureFromMetadata(chosen, defs[chosen]);
}
