// How far apart two predict answers are: the largest absolute difference over their numbers, compared position by
// position. Used to check a converted (quantized) version against the original before deploying it.

export interface PredictionDiff {
  /** Largest |a − b| over numeric leaves; undefined when the answers have no numbers in common. */
  readonly maxAbsDiff?: number;
  readonly compared: number;
  /** Where the answers' shapes or keys differ, in words; empty when they line up. */
  readonly mismatches: string[];
}

export function comparePredictions(a: unknown, b: unknown): PredictionDiff {
  let max: number | undefined;
  let compared = 0;
  const mismatches: string[] = [];
  const walk = (x: unknown, y: unknown, at: string): void => {
    if (typeof x === 'number' && typeof y === 'number') {
      const d = Math.abs(x - y);
      max = max === undefined || d > max ? d : max;
      compared++;
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) mismatches.push(`${at || 'answer'}: ${x.length} vs ${y.length} elements`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${at}[${i}]`);
    } else if (x && y && typeof x === 'object' && typeof y === 'object') {
      const kx = Object.keys(x as object);
      const ky = new Set(Object.keys(y as object));
      for (const k of kx) {
        if (ky.has(k)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
        else mismatches.push(`${at ? `${at}.` : ''}${k}: only in the first answer`);
      }
      for (const k of ky) if (!kx.includes(k)) mismatches.push(`${at ? `${at}.` : ''}${k}: only in the second answer`);
    } else if (x !== y) {
      mismatches.push(`${at || 'answer'}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  };
  walk(a, b, '');
  return { maxAbsDiff: max, compared, mismatches };
}
