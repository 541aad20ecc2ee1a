// The metrics panel's data, ready to draw: one chart model per chart in uPlot's "aligned data" layout
// ([x seconds[], y1[], y2[]…], null for a gap), whether the numbers come from direct scrapes (MetricsPoint[]) or from
// Prometheus' query_range. The webview only draws; every number is computed here, where it can be tested.
// Chart library for the webview: uPlot (npm `uplot` 1.6.x, MIT, no dependencies, ~50 KB minified, canvas): bundled
// by esbuild into the webview script, so no CDN; AlignedData below is its data format as is.
import type { MetricsPoint, ModelLoad } from './metricsSeries';
import type { RangeSeries } from './prometheusApiClient';

export type AlignedData = (number | null)[][];

export interface ChartModel {
  readonly id: 'requests' | 'errors' | 'latency' | 'batches' | 'batchQueue';
  readonly title: string;
  readonly unit: string;
  readonly series: { readonly label: string }[];
  /** data[0]: x in seconds since the epoch; data[i + 1]: the values of series[i]. */
  readonly data: AlignedData;
}

export interface VersionRow { readonly model: string; readonly version: string; readonly state: string; readonly error?: string }

export interface LoadRow {
  readonly model: string;
  readonly version: string;
  readonly loadMillis?: number;
  readonly failures: number;
}

export interface DashboardModel {
  readonly charts: ChartModel[];
  readonly loads: LoadRow[];
  readonly versions: VersionRow[];
  /** Plain-language notes shown above the charts (a restart, no traffic yet…). */
  readonly notes: string[];
}

interface Line { label: string; points: { t: number; v: number }[] }

/** Merges lines sampled at different times onto one x axis; a line without a value at some x gets null there. */
export function alignLines(lines: readonly Line[]): AlignedData {
  const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p.t)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const out: AlignedData = [xs];
  for (const l of lines) {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    for (const p of l.points) ys[index.get(p.t)!] = Number.isFinite(p.v) ? p.v : null;
    out.push(ys);
  }
  return out;
}

function chart(id: ChartModel['id'], title: string, unit: string, lines: Line[]): ChartModel {
  const sorted = [...lines].sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
  return { id, title, unit, series: sorted.map((l) => ({ label: l.label })), data: alignLines(sorted) };
}

function pushPoint(map: Map<string, Line>, label: string, t: number, v: number | undefined): void {
  if (v === undefined) return;
  let l = map.get(label);
  if (!l) map.set(label, (l = { label, points: [] }));
  l.points.push({ t, v });
}

const QUANTILE_KEYS = ['p50', 'p90', 'p99'] as const;

function loadRows(loads: readonly ModelLoad[]): LoadRow[] {
  return loads.map((l) => ({ model: l.model ?? l.modelPath, version: l.version ?? '', ...(l.loadMillis !== undefined ? { loadMillis: l.loadMillis } : {}), failures: l.failures }));
}

/** From direct scrapes of the server (rates computed in the extension). */
export function dashboardFromPoints(points: readonly MetricsPoint[], loads: readonly ModelLoad[], versions: readonly VersionRow[] = []): DashboardModel {
  const requests = new Map<string, Line>();
  const errors = new Map<string, Line>();
  const latency = new Map<string, Line>();
  const batches = new Map<string, Line>();
  const queue = new Map<string, Line>();
  const notes: string[] = [];
  for (const p of points) {
    const t = p.timeMs / 1000;
    for (const m of p.models) {
      pushPoint(requests, m.model, t, m.requestRate);
      pushPoint(errors, m.model, t, m.errorRate);
      for (const q of QUANTILE_KEYS) pushPoint(latency, `${m.model} ${q}`, t, m.latencyMs ? m.latencyMs[q] : NaN);
    }
    if (p.batching) {
      pushPoint(batches, 'batches/s', t, p.batching.batchesPerSecond);
      pushPoint(batches, 'mean batch size', t, p.batching.meanBatchSize);
      const ql = p.batching.queuingLatencyMs;
      if (ql) for (const q of QUANTILE_KEYS) pushPoint(queue, `queue ${q}`, t, ql[q]);
    }
    if (p.reset) notes.push(`The server restarted shortly before ${new Date(p.timeMs).toISOString().slice(11, 19)} UTC; its counters started again from zero.`);
  }
  if (!points.length) notes.push('Collecting: rates appear after the second scrape.');
  else if (![...requests.values()].some((l) => l.points.some((x) => x.v > 0))) notes.push('No requests in this window yet.');
  return assemble(requests, errors, latency, batches, queue, loads, versions, notes);
}

export interface PanelRanges {
  readonly requestRate: readonly RangeSeries[];
  readonly errorRate: readonly RangeSeries[];
  /** histogram_quantile results in microseconds, keyed by quantile name. */
  readonly latency: Partial<Record<(typeof QUANTILE_KEYS)[number], readonly RangeSeries[]>>;
  readonly batchesPerSecond?: readonly RangeSeries[];
  readonly batchingQueueP99?: readonly RangeSeries[];
}

/** From Prometheus' query_range answers to panelQueries(). Latency arrives in µs and is shown in ms. */
export function dashboardFromRanges(r: PanelRanges, loads: readonly ModelLoad[], versions: readonly VersionRow[] = []): DashboardModel {
  const fill = (into: Map<string, Line>, series: readonly RangeSeries[] | undefined, label: (s: RangeSeries) => string, scale = 1) => {
    for (const s of series ?? []) for (const p of s.points) pushPoint(into, label(s), p.timeSeconds, p.value * scale);
  };
  const requests = new Map<string, Line>();
  const errors = new Map<string, Line>();
  const latency = new Map<string, Line>();
  const batches = new Map<string, Line>();
  const queue = new Map<string, Line>();
  const model = (s: RangeSeries) => s.metric.model_name ?? '';
  fill(requests, r.requestRate, model);
  fill(errors, r.errorRate, model);
  for (const q of QUANTILE_KEYS) fill(latency, r.latency[q], (s) => `${model(s)} ${q}`, 1 / 1000);
  fill(batches, r.batchesPerSecond, () => 'batches/s');
  fill(queue, r.batchingQueueP99, () => 'queue p99', 1 / 1000);
  // A model that never failed has no error series at all in Prometheus: show it at 0 rather than missing.
  for (const [m, l] of requests) if (!errors.has(m)) errors.set(m, { label: m, points: l.points.map((p) => ({ t: p.t, v: 0 })) });
  const notes = requests.size ? [] : ['No requests in this window yet.'];
  return assemble(requests, errors, latency, batches, queue, loads, versions, notes);
}

function assemble(
  requests: Map<string, Line>, errors: Map<string, Line>, latency: Map<string, Line>, batches: Map<string, Line>, queue: Map<string, Line>,
  loads: readonly ModelLoad[], versions: readonly VersionRow[], notes: string[],
): DashboardModel {
  const charts: ChartModel[] = [
    chart('requests', 'Requests per second', 'req/s', [...requests.values()]),
    chart('errors', 'Errors per second (status other than OK)', 'req/s', [...errors.values()]),
    chart('latency', 'Request latency', 'ms', [...latency.values()]),
  ];
  // Batching charts only when the server batches (the metrics exist only then).
  if (batches.size) charts.push(chart('batches', 'Batching', '', [...batches.values()]));
  if (queue.size) charts.push(chart('batchQueue', 'Time in the batching queue', 'ms', [...queue.values()]));
  return { charts, loads: loadRows(loads), versions: [...versions], notes: [...new Set(notes)] };
}
