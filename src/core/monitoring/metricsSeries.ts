// What the metrics panel charts, computed from successive scrapes of TF Serving's Prometheus page when no
// Prometheus runs: per-model request and error rates, latency percentiles over the interval, model load latency and
// batching. Counter resets (a restarted server) count the new value as the increase, as Prometheus' rate() does.
import { familyMap, histogramSeries, labelsKey, parseExposition, type HistogramBucket, type MetricFamily } from './expositionParser';
import { histogramQuantile, sumBuckets } from './histogramQuantile';
import type { InstantSample } from './prometheusApiClient';
import * as M from './tfServingMetricNames';

export interface Scrape {
  readonly timeMs: number;
  readonly families: ReadonlyMap<string, MetricFamily>;
}

export function scrapeFromText(text: string, timeMs: number): Scrape {
  return { timeMs, families: familyMap(parseExposition(text)) };
}

export interface LatencyPercentiles { readonly p50: number; readonly p90: number; readonly p99: number }

export interface ModelRates {
  readonly model: string;
  /** Requests per second, every status. */
  readonly requestRate: number;
  /** Requests per second whose status is not OK. */
  readonly errorRate: number;
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** Request latency percentiles in milliseconds over the interval; undefined when no request finished in it. */
  readonly latencyMs?: LatencyPercentiles;
}

export interface BatchingRates {
  /** Server-side batching: time requests waited in the batching queue, milliseconds. */
  readonly queuingLatencyMs?: LatencyPercentiles;
  /** Server-side batching: batches run per second. */
  readonly batchesPerSecond?: number;
  /** In-graph batching: mean batch size over the interval. */
  readonly meanBatchSize?: number;
}

export interface MetricsPoint {
  readonly timeMs: number;
  readonly intervalSeconds: number;
  readonly models: ModelRates[];
  readonly batching?: BatchingRates;
  /** A counter went down since the previous scrape: the server restarted. */
  readonly reset: boolean;
}

export interface ModelLoad {
  readonly modelPath: string;
  readonly model?: string;
  readonly version?: string;
  /** Time spent loading this path successfully, milliseconds (summed if it loaded more than once). */
  readonly loadMillis?: number;
  readonly successes: number;
  readonly failures: number;
}

const QUANTILES = { p50: 0.5, p90: 0.9, p99: 0.99 } as const;

function percentiles(buckets: readonly HistogramBucket[], scale: number): LatencyPercentiles | undefined {
  const total = buckets.length ? buckets[buckets.length - 1].count : 0;
  if (!(total > 0)) return undefined;
  return {
    p50: histogramQuantile(QUANTILES.p50, buckets) * scale,
    p90: histogramQuantile(QUANTILES.p90, buckets) * scale,
    p99: histogramQuantile(QUANTILES.p99, buckets) * scale,
  };
}

/** Per-series increase of a counter family between two scrapes, with resets and new series counted from 0. */
function counterIncreases(prev: MetricFamily | undefined, cur: MetricFamily | undefined): { labels: Record<string, string>; increase: number; reset: boolean }[] {
  if (!cur) return [];
  const before = new Map<string, number>();
  for (const s of prev?.samples ?? []) if (s.name === prev!.name) before.set(labelsKey(s.labels), s.value);
  const out: { labels: Record<string, string>; increase: number; reset: boolean }[] = [];
  for (const s of cur.samples) {
    if (s.name !== cur.name) continue;
    const b = before.get(labelsKey(s.labels));
    const reset = b !== undefined && s.value < b;
    out.push({ labels: s.labels, increase: b === undefined || reset ? s.value : s.value - b, reset });
  }
  return out;
}

interface HistogramDelta { labels: Record<string, string>; buckets: HistogramBucket[]; sum: number; count: number; reset: boolean }

/** Per-series bucket increases of a histogram family: what rate(x_bucket[interval]) feeds histogram_quantile. */
function histogramIncreases(prev: MetricFamily | undefined, cur: MetricFamily | undefined): HistogramDelta[] {
  if (!cur) return [];
  const before = new Map(prev ? histogramSeries(prev).map((h) => [labelsKey(h.labels), h] as const) : []);
  return histogramSeries(cur).map((h) => {
    const b = before.get(labelsKey(h.labels));
    if (!b) return { labels: h.labels, buckets: h.buckets, sum: h.sum, count: h.count, reset: false };
    const prevByLe = new Map(b.buckets.map((x) => [x.le, x.count]));
    const reset = h.count < b.count || h.buckets.some((x) => x.count < (prevByLe.get(x.le) ?? 0));
    if (reset) return { labels: h.labels, buckets: h.buckets, sum: h.sum, count: h.count, reset };
    return {
      labels: h.labels,
      buckets: h.buckets.map((x) => ({ le: x.le, count: x.count - (prevByLe.get(x.le) ?? 0) })),
      sum: h.sum - b.sum,
      count: h.count - b.count,
      reset,
    };
  });
}

/** Rates and percentiles over the interval between two scrapes of the same server. */
export function metricsPoint(prev: Scrape, cur: Scrape): MetricsPoint {
  const seconds = (cur.timeMs - prev.timeMs) / 1000;
  if (!(seconds > 0)) throw new Error('Scrapes must be in time order, at least a millisecond apart.');
  const fam = (s: Scrape, name: string) => s.families.get(name);
  let reset = false;

  const models = new Map<string, { requests: number; errors: number; byStatus: Record<string, number>; latency: HistogramBucket[][] }>();
  const model = (name: string) => {
    let m = models.get(name);
    if (!m) models.set(name, (m = { requests: 0, errors: 0, byStatus: {}, latency: [] }));
    return m;
  };
  for (const c of counterIncreases(fam(prev, M.REQUEST_COUNT), fam(cur, M.REQUEST_COUNT))) {
    reset ||= c.reset;
    const m = model(c.labels.model_name ?? '');
    m.requests += c.increase;
    const status = c.labels.status ?? 'OK';
    if (status !== 'OK') {
      m.errors += c.increase;
      m.byStatus[status] = (m.byStatus[status] ?? 0) + c.increase;
    }
  }
  for (const h of histogramIncreases(fam(prev, M.REQUEST_LATENCY), fam(cur, M.REQUEST_LATENCY))) {
    reset ||= h.reset;
    model(h.labels.model_name ?? '').latency.push(h.buckets);
  }
  const modelRates: ModelRates[] = [...models.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([name, m]) => {
    const byStatus: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.byStatus)) byStatus[k] = v / seconds;
    const latencyMs = percentiles(sumBuckets(m.latency), 1 / 1000);
    return { model: name, requestRate: m.requests / seconds, errorRate: m.errors / seconds, errorsByStatus: byStatus, ...(latencyMs ? { latencyMs } : {}) };
  });

  const batching = batchingRates(prev, cur, seconds);
  reset ||= batching.reset;
  return { timeMs: cur.timeMs, intervalSeconds: seconds, models: modelRates, ...(batching.rates ? { batching: batching.rates } : {}), reset };
}

function batchingRates(prev: Scrape, cur: Scrape, seconds: number): { rates?: BatchingRates; reset: boolean } {
  const queue = fam2(prev, cur, M.BATCHING_SESSION_QUEUING_LATENCY);
  const runs = fam2(prev, cur, M.BATCHING_SESSION_WRAPPED_RUN_COUNT);
  const sizes = fam2(prev, cur, M.BATCHING_BATCH_SIZE);
  if (!queue.cur && !runs.cur && !sizes.cur) return { reset: false };
  let reset = false;
  const rates: { -readonly [K in keyof BatchingRates]: BatchingRates[K] } = {};
  if (queue.cur) {
    const d = histogramIncreases(queue.prev, queue.cur);
    reset ||= d.some((h) => h.reset);
    const q = percentiles(sumBuckets(d.map((h) => h.buckets)), 1 / 1000);
    if (q) rates.queuingLatencyMs = q;
  }
  if (runs.cur) {
    const d = counterIncreases(runs.prev, runs.cur);
    reset ||= d.some((c) => c.reset);
    rates.batchesPerSecond = d.reduce((a, c) => a + c.increase, 0) / seconds;
  }
  if (sizes.cur) {
    const d = histogramIncreases(sizes.prev, sizes.cur);
    reset ||= d.some((h) => h.reset);
    const count = d.reduce((a, h) => a + h.count, 0);
    if (count > 0) rates.meanBatchSize = d.reduce((a, h) => a + h.sum, 0) / count;
  }
  return { rates, reset };
}

function fam2(prev: Scrape, cur: Scrape, name: string) {
  return { prev: prev.families.get(name), cur: cur.families.get(name) };
}

/** Load latency and attempts per model path, from one scrape (they are totals since the server started). */
export function modelLoads(scrape: Scrape): ModelLoad[] {
  const rows = (name: string) => (scrape.families.get(name)?.samples ?? []).map((s) => ({ labels: s.labels, value: s.value }));
  return loadRows(rows(M.LOAD_LATENCY), rows(M.LOAD_ATTEMPT_COUNT));
}

/** The same rows from Prometheus: instant answers to panelQueries().modelLoadLatency and .loadAttempts. */
export function modelLoadsFromPrometheus(latency: readonly InstantSample[], attempts: readonly InstantSample[]): ModelLoad[] {
  const rows = (xs: readonly InstantSample[]) => xs.map((s) => ({ labels: s.metric, value: s.value }));
  return loadRows(rows(latency), rows(attempts));
}

type Row = { labels: Record<string, string>; value: number };

function loadRows(latency: Row[], attempts: Row[]): ModelLoad[] {
  const byPath = new Map<string, { micros?: number; successes: number; failures: number }>();
  const entry = (p: string) => {
    let e = byPath.get(p);
    if (!e) byPath.set(p, (e = { successes: 0, failures: 0 }));
    return e;
  };
  for (const s of latency) if (s.labels.model_path !== undefined) entry(s.labels.model_path).micros = s.value;
  for (const s of attempts) {
    if (s.labels.model_path === undefined) continue;
    const e = entry(s.labels.model_path);
    if (s.labels.status === 'success') e.successes += s.value;
    else e.failures += s.value;
  }
  return [...byPath.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([modelPath, e]) => ({
    modelPath,
    ...M.modelPathParts(modelPath),
    ...(e.micros !== undefined ? { loadMillis: e.micros / 1000 } : {}),
    successes: e.successes,
    failures: e.failures,
  }));
}

/** Keeps the last scrapes of one server and the points between them, for a live chart. */
export class MetricsSeries {
  private last?: Scrape;
  private readonly pts: MetricsPoint[] = [];

  constructor(private readonly maxPoints = 360) {}

  /** Adds a scrape; returns the new point, or undefined for the first scrape (a rate needs two). */
  add(scrape: Scrape): MetricsPoint | undefined {
    const prev = this.last;
    if (prev && scrape.timeMs <= prev.timeMs) return undefined; // a late answer: keep the newer baseline
    this.last = scrape;
    if (!prev) return undefined;
    const p = metricsPoint(prev, scrape);
    this.pts.push(p);
    if (this.pts.length > this.maxPoints) this.pts.splice(0, this.pts.length - this.maxPoints);
    return p;
  }

  points(): readonly MetricsPoint[] { return this.pts; }
  latest(): Scrape | undefined { return this.last; }
  loads(): ModelLoad[] { return this.last ? modelLoads(this.last) : []; }
}
