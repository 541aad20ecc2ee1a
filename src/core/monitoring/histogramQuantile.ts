// histogram_quantile as Prometheus computes it (promql/quantile.go): linear interpolation inside the bucket where
// the rank falls, the lowest bucket starting at 0, the +Inf bucket answered with the highest finite bound.
import type { HistogramBucket } from './expositionParser';

export function histogramQuantile(q: number, input: readonly HistogramBucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = coalesce(input);
  if (buckets.length < 2 || buckets[buckets.length - 1].le !== Infinity) return NaN;
  ensureMonotonic(buckets);
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0 || Number.isNaN(observations)) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && buckets[b].count < rank) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let start = 0;
  const end = buckets[b].le;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

/** Sorted by bound; buckets with the same bound (e.g. after a sum over series) added together. */
function coalesce(input: readonly HistogramBucket[]): { le: number; count: number }[] {
  const sorted = [...input].sort((a, b) => a.le - b.le);
  const out: { le: number; count: number }[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.le === b.le) last.count += b.count;
    else out.push({ le: b.le, count: b.count });
  }
  return out;
}

/** Prometheus repairs counts that go down between buckets (scrape races) by carrying the maximum forward. */
function ensureMonotonic(buckets: { count: number }[]): void {
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else b.count = max;
  }
}

/** Adds histograms bucket by bucket (a `sum by (le)`); buckets absent from one side count as 0 there. */
export function sumBuckets(histograms: readonly (readonly HistogramBucket[])[]): HistogramBucket[] {
  const byLe = new Map<number, number>();
  for (const h of histograms) for (const b of h) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}
