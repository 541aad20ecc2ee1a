// When a level's numbers have settled: the last N windows each within ±tolerance of their mean, in throughput and
// in p99. A window without a single answer is never stable (a stalled server must not look steady).

export interface WindowFigures {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly count: number;
}

export function isStable(windows: readonly WindowFigures[], n: number, tolerance: number): boolean {
  if (windows.length < n) return false;
  const last = windows.slice(-n);
  if (last.some((w) => w.count === 0)) return false;
  const within = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return values.every((v) => Math.abs(v - mean) <= tolerance * mean);
  };
  return within(last.map((w) => w.requestsPerSecond)) && within(last.map((w) => w.p99Ms));
}
