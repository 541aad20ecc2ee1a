// What quantization changed, in numbers: per output, the differences between the SavedModel's and the TFLite
// model's answers to the same inputs, top-1 agreement for classifier-shaped outputs, and the verdict against
// thresholds the user can set. Pure: the outputs come in as float64 arrays, one example after another.

export interface ValidationThresholds {
  /** Flag when an output's largest absolute difference is above this. */
  readonly maxAbsDiff: number;
  /** Flag when a classifier-shaped output agrees on the top class for fewer examples than this (percent). */
  readonly minTop1Percent: number;
}

export const DEFAULT_VALIDATION_THRESHOLDS: ValidationThresholds = { maxAbsDiff: 1e-2, minTop1Percent: 99 };

/** Below this magnitude a reference value counts as this for the relative error (so zeros do not divide). */
export const RELATIVE_ERROR_FLOOR = 1e-6;

export interface OutputValues {
  /** Shape of one example's output (batch axis of 1 included). */
  readonly shape: number[];
  /** Every example's output, flattened, one after another. */
  readonly values: Float64Array;
}

export interface OutputComparison {
  readonly name: string;
  readonly shape: number[];
  readonly elements: number;
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  /** max |tflite - savedmodel| / max(|savedmodel|, RELATIVE_ERROR_FLOOR). */
  readonly maxRelError: number;
  /** For rank-2 outputs whose last dimension is > 1: examples whose argmax agrees, in percent. */
  readonly top1AgreementPercent?: number;
}

export interface OutputsComparison {
  readonly outputs: OutputComparison[];
  /** Plain-words problems: thresholds crossed, outputs missing on one side, shapes that differ. */
  readonly flags: string[];
}

/** Whether an output looks like class scores: [batch, classes] with more than one class. */
export function isClassifierShaped(shape: readonly number[]): boolean {
  return shape.length === 2 && shape[1] > 1;
}

export function compareOutputValues(name: string, reference: OutputValues, candidate: OutputValues): OutputComparison {
  const a = reference.values;
  const b = candidate.values;
  let maxAbs = 0;
  let sumAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(b[i] - a[i]);
    if (Number.isNaN(d)) maxAbs = Number.NaN; // a NaN on either side is flagged, never hidden by a max()
    else if (d > maxAbs) maxAbs = d;
    sumAbs += d;
    const rel = d / Math.max(Math.abs(a[i]), RELATIVE_ERROR_FLOOR);
    if (rel > maxRel) maxRel = rel;
  }
  const out: OutputComparison = {
    name, shape: reference.shape, elements: a.length, maxAbsDiff: maxAbs, meanAbsDiff: a.length ? sumAbs / a.length : 0, maxRelError: maxRel,
  };
  if (!isClassifierShaped(reference.shape)) return out;
  const classes = reference.shape[1];
  const rows = a.length / classes;
  let agree = 0;
  for (let r = 0; r < rows; r++) if (argmax(a, r * classes, classes) === argmax(b, r * classes, classes)) agree++;
  return { ...out, top1AgreementPercent: rows ? (100 * agree) / rows : 100 };
}

/** First index of the largest value in values[start, start + n), as numpy.argmax. */
function argmax(values: Float64Array, start: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[start + i] > values[start + best]) best = i;
  return best;
}

const sameShape = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((d, i) => d === y[i]);

export function compareOutputs(reference: Map<string, OutputValues>, candidate: Map<string, OutputValues>, thresholds: ValidationThresholds): OutputsComparison {
  const flags: string[] = [];
  const outputs: OutputComparison[] = [];
  const missing = [...reference.keys()].filter((k) => !candidate.has(k));
  const extra = [...candidate.keys()].filter((k) => !reference.has(k));
  if (missing.length || extra.length) {
    flags.push(`The outputs differ: the SavedModel returns ${[...reference.keys()].join(', ') || 'nothing'}, the TFLite model ${[...candidate.keys()].join(', ') || 'nothing'}. ` +
      'Is this TFLite file converted from this SavedModel?');
  }
  for (const [name, ref] of reference) {
    const cand = candidate.get(name);
    if (!cand) continue;
    if (!sameShape(ref.shape, cand.shape) || ref.values.length !== cand.values.length) {
      flags.push(`Output "${name}" has shape [${ref.shape.join(', ')}] in the SavedModel but [${cand.shape.join(', ')}] in the TFLite model.`);
      continue;
    }
    const c = compareOutputValues(name, ref, cand);
    outputs.push(c);
    if (!(c.maxAbsDiff <= thresholds.maxAbsDiff)) {
      flags.push(`Output "${name}" differs by up to ${formatNumber(c.maxAbsDiff)} (mean ${formatNumber(c.meanAbsDiff)}), above the ${formatNumber(thresholds.maxAbsDiff)} allowed.`);
    }
    if (c.top1AgreementPercent !== undefined && c.top1AgreementPercent < thresholds.minTop1Percent) {
      flags.push(`Output "${name}" picks the same top class for only ${c.top1AgreementPercent.toFixed(1)} % of the inputs (at least ${thresholds.minTop1Percent} % expected).`);
    }
  }
  return { outputs, flags };
}

/** Median of per-inference times. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === 0) return '0';
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}
