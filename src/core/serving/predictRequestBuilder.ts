// Builds a sample predict request from a signature, in TF Serving's row ("instances") or columnar ("inputs") form.
// Values are placeholders of the right dtype and shape (unknown dimensions become batch 1 / length 1).

export interface SignatureTensor {
  readonly name: string;
  /** TF dtype name, e.g. DT_FLOAT. */
  readonly dtype: string;
  /** Dimension sizes, -1 for unknown; undefined for unknown rank. */
  readonly dims?: readonly number[];
}

export type PredictFormat = 'row' | 'columnar';

function sample(dtype: string): number | string | boolean {
  if (dtype === 'DT_STRING') return '';
  if (dtype === 'DT_BOOL') return false;
  if (/^DT_(FLOAT|DOUBLE|HALF|BFLOAT16)$/.test(dtype)) return 1.0;
  return 1;
}

function filled(dims: readonly number[], value: unknown): unknown {
  if (!dims.length) return value;
  const n = dims[0] < 0 ? 1 : dims[0];
  return Array.from({ length: n }, () => filled(dims.slice(1), value));
}

export function buildPredictRequest(inputs: readonly SignatureTensor[], format: PredictFormat, signatureName?: string): Record<string, unknown> {
  if (!inputs.length) throw new Error('The signature has no inputs.');
  const body: Record<string, unknown> = {};
  if (signatureName && signatureName !== 'serving_default') body.signature_name = signatureName;
  if (format === 'row') {
    // A row is one batch element: the shape without its first (batch) dimension.
    const row = (t: SignatureTensor) => filled((t.dims ?? [-1]).slice(1), sample(t.dtype));
    body.instances = inputs.length === 1 ? [row(inputs[0])] : [Object.fromEntries(inputs.map((t) => [t.name, row(t)]))];
  } else {
    const col = (t: SignatureTensor) => filled(t.dims ?? [-1], sample(t.dtype));
    body.inputs = inputs.length === 1 ? col(inputs[0]) : Object.fromEntries(inputs.map((t) => [t.name, col(t)]));
  }
  return body;
}

/** Signature inputs from TF Serving's metadata JSON (`signature_def.signature_def[name].inputs`). */
export function signatureInputsFromMetadata(signatureDef: unknown): SignatureTensor[] {
  const inputs = (signatureDef as { inputs?: Record<string, { dtype?: string; tensor_shape?: { dim?: { size: string }[]; unknown_rank?: boolean } }> }).inputs ?? {};
  return Object.entries(inputs).map(([name, t]) => ({
    name,
    dtype: t.dtype ?? 'DT_INVALID',
    dims: t.tensor_shape && !t.tensor_shape.unknown_rank ? (t.tensor_shape.dim ?? []).map((d) => Number(d.size)) : undefined,
  }));
}
