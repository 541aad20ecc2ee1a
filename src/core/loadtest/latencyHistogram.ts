// Latencies recorded in an HDR histogram (hdr-histogram-js): constant memory however many requests a run makes,
// values kept to 3 significant digits. Recorded in microseconds; read back in milliseconds.
import type { Histogram } from 'hdr-histogram-js';

type HdrModule = typeof import('hdr-histogram-js');
let hdr: HdrModule | undefined;

/** Loads the histogram library (a lazily required bundle) before the first histogram is made. */
export async function loadHistogramLibrary(): Promise<void> {
  hdr ??= await import('hdr-histogram-js');
}

/** 1 µs to 1 hour, 3 significant digits: a value is off by at most 0.1 %. */
const HIGHEST_MICROS = 3_600_000_000;

export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class LatencyHistogram {
  private readonly h: Histogram;

  constructor() {
    if (!hdr) throw new Error('loadHistogramLibrary() must run before a LatencyHistogram is made');
    this.h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROS, numberOfSignificantValueDigits: 3, autoResize: false });
  }

  /** One latency, in milliseconds (fractions kept to the microsecond). */
  record(ms: number): void {
    this.h.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * 1000))));
  }

  add(other: LatencyHistogram): void {
    this.h.add(other.h);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Percentile (0–100) in milliseconds; 0 when empty. */
  percentileMs(p: number): number {
    return this.h.totalCount ? this.atPercentile(p) / 1000 : 0;
  }

  /**
   * The library answers with the top of the value's bucket (up to 0.1 % above it), which for the highest
   * percentiles can pass the largest latency recorded; no percentile is reported above that maximum.
   */
  private atPercentile(p: number): number {
    return Math.min(this.h.getValueAtPercentile(p), this.h.maxValue);
  }

  summary(): LatencySummary {
    const ms = (v: number) => round3(v / 1000);
    if (!this.h.totalCount) return { count: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
    return {
      count: this.h.totalCount,
      meanMs: ms(this.h.mean),
      p50Ms: ms(this.atPercentile(50)),
      p90Ms: ms(this.atPercentile(90)),
      p95Ms: ms(this.atPercentile(95)),
      p99Ms: ms(this.atPercentile(99)),
      maxMs: ms(this.h.maxValue),
    };
  }

  /** Bytes the counts take (flat: it does not grow with the number of requests). */
  get estimatedFootprintBytes(): number {
    return this.h.estimatedFootprintInBytes;
  }

  reset(): void {
    this.h.reset();
  }

  destroy(): void {
    this.h.destroy();
  }
}

/** Milliseconds to the microsecond, so JSON and CSV carry the same digits. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
