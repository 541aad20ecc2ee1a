// Seeded inputs generated from a signature, for Compare Outputs (validation) and warmup requests alike: one
// generator, whose examples go through the same sample reader as a file of the user's (sampleInputs.ts).
import type { SignatureDef } from '../model/savedModelDecoder';
import { ConversionError } from './conversionError';
import { numpyDtypeFor, type SampleExample } from './sampleInputs';

/** How generated inputs are drawn (documented in docs/optimize.md and the report). */
export const GENERATED_INPUTS_RULE =
  'floats uniform in [0, 1), integers uniform in [0, 10), booleans 0/1, strings "sample 0", "sample 1", …; unknown dimensions are 1';

export interface GeneratedInput {
  readonly key: string;
  readonly numpyDtype: string;
  /** The signature's shape (-1 unknown); undefined for unknown rank (fed as [1]). */
  readonly shape?: number[];
}

/** Generated examples follow the signature; types the generator cannot make are refused up front. */
export function generatedInputsFor(signature: SignatureDef): GeneratedInput[] {
  return signature.inputs.map((i) => {
    const numpyDtype = numpyDtypeFor(i.dtype, 'validation');
    if (!numpyDtype) {
      throw new ConversionError('invalid-samples', `Input "${i.key}" has a type inputs cannot be generated for.`, 'Pass --inputs with examples.');
    }
    const shape = i.shape && !i.shape.unknownRank ? i.shape.dims.map((d) => d.size) : undefined;
    return { key: i.key, numpyDtype, ...(shape ? { shape } : {}) };
  });
}

/** mulberry32: small, fast and the same on every platform, so a seed repeats its inputs anywhere. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // 24 random bits: exact in float32 (and in float16 after rounding), uniform in [0, 1).
    return ((t ^ (t >>> 14)) >>> 8) / 2 ** 24;
  };
}

/**
 * `count` seeded examples. `batchSize` fills an unknown first dimension (1 by default, as validation feeds one
 * example per call); other unknown dimensions are 1.
 */
export function generateExamples(inputs: readonly GeneratedInput[], count: number, seed: number, batchSize = 1): SampleExample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const example: Record<string, { shape: number[]; values: (number | boolean | string)[] }> = {};
    for (const input of inputs) {
      const shape = (input.shape ?? [-1]).map((d, axis) => (d >= 0 ? d : axis === 0 ? batchSize : 1));
      const size = shape.reduce((a, b) => a * b, 1);
      const value = (): number | boolean | string => {
        if (input.numpyDtype === 'object') return `sample ${n}`;
        if (input.numpyDtype === 'bool') return random() < 0.5;
        if (input.numpyDtype.startsWith('float')) return random();
        return Math.floor(random() * 10);
      };
      example[input.key] = { shape, values: Array.from({ length: size }, value) };
    }
    return example;
  });
}

/** Nested arrays of a flat row-major tensor (for JSON rows). */
export function nestedValues(shape: readonly number[], values: readonly unknown[]): unknown {
  if (shape.length === 0) return values[0];
  const step = values.length / (shape[0] || 1);
  return Array.from({ length: shape[0] }, (_, i) => nestedValues(shape.slice(1), values.slice(i * step, (i + 1) * step)));
}

/** Examples in TF Serving's row format, each value keeping its batch axis (the sample reader accepts both). */
export function examplesAsRows(examples: readonly SampleExample[]): string {
  return JSON.stringify({
    instances: examples.map((e) => Object.fromEntries(Object.entries(e).map(([key, t]) => [key, nestedValues(t.shape, t.values)]))),
  });
}
