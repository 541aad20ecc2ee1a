// The numbers a load test produces, as plain JSON: what the CLI prints with --json, what the panel draws and
// exports, and what "compare two runs" reads back. One format, one version field.
import type { ErrorCounts } from './outcome';
import type { LatencySummary } from './latencyHistogram';

export const RUN_FORMAT = 'tfserving-studio.loadtest/1';

/** TF Serving's own view of the same window, from its request_latency histogram (monitoring on). */
export interface ServerLatency {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSecond: number;
}

export type LevelEnd = 'stable' | 'duration' | 'requests' | 'max-duration' | 'max-requests' | 'cancelled';

export interface LevelResult {
  /** Concurrency (closed loop) or requests per second asked for (open loop). */
  readonly level: number;
  readonly label: string;
  /** How the level ended. */
  readonly end: LevelEnd;
  /** The last windows agreed within the tolerance in throughput and p99. */
  readonly stable: boolean;
  /** Windows the figures below cover (the stable ones, or every measured window). */
  readonly windows: number;
  readonly durationSeconds: number;
  /** Answers in those windows, successful or not. */
  readonly requests: number;
  readonly ok: number;
  readonly requestsPerSecond: number;
  readonly examplesPerSecond: number;
  /** Latency of the successful answers (open loop: from each request's scheduled send time, less generatorLagMs). */
  readonly latencyMs: LatencySummary;
  readonly errors: ErrorCounts;
  /** CPU time of this process per request while measuring (user + system), microseconds. */
  readonly clientCpuMicrosPerRequest: number;
  readonly server?: ServerLatency;
  /**
   * Open loop: how late requests were sent after their scheduled time. Waiting for a free connection counts in the
   * latency (no coordinated omission); the generator's own lateness (generatorLagMs) does not.
   */
  readonly sendLagMs?: { readonly p50Ms: number; readonly p99Ms: number };
  /**
   * Open loop: how late the generator's timer got to requests after their scheduled time. Not counted in the
   * latency; when it is large, the generator's machine is too busy to keep the rate, whatever the server does.
   */
  readonly generatorLagMs?: { readonly p50Ms: number; readonly p99Ms: number };
}

export interface LoadTestRun {
  readonly format: typeof RUN_FORMAT;
  readonly startedAt: string;
  readonly target: { readonly url: string; readonly model: string; readonly protocol: 'rest' | 'grpc'; readonly version?: string };
  readonly source: { readonly description: string; readonly examplesPerRequest: number; readonly distinctRequests: number; readonly rule?: string };
  readonly mode: 'closed' | 'open';
  readonly settings: {
    readonly warmupMs: number; readonly windowMs: number; readonly stableWindows: number; readonly tolerance: number;
    readonly fixedDurationMs?: number; readonly fixedRequests?: number; readonly maxDurationMs: number; readonly timeoutMs: number;
    readonly connections?: number;
    /** Open loop: how requests were spaced (runs saved before it was a choice were constant). */
    readonly arrivals?: 'constant' | 'poisson';
  };
  readonly levels: LevelResult[];
  readonly cancelled: boolean;
  /** Why server latency is missing, when it is. */
  readonly serverLatencyNote?: string;
}

const CSV_COLUMNS = [
  'level', 'label', 'end', 'stable', 'windows', 'durationSeconds', 'requests', 'ok', 'requestsPerSecond', 'examplesPerSecond',
  'p50Ms', 'p90Ms', 'p95Ms', 'p99Ms', 'maxMs', 'meanMs', 'errors', 'connectionRefused', 'connectionClosed', 'timeouts', 'http4xx', 'http5xx',
  'clientCpuMicrosPerRequest', 'serverP50Ms', 'serverP90Ms', 'serverP99Ms',
] as const;

/** Rounded as every output shows them: JSON, CSV and the panel carry the same digits. */
export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function csvCell(v: unknown): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function runToCsv(run: LoadTestRun): string {
  const rows = run.levels.map((l) => [
    l.level, l.label, l.end, l.stable, l.windows, l.durationSeconds, l.requests, l.ok, l.requestsPerSecond, l.examplesPerSecond,
    l.latencyMs.p50Ms, l.latencyMs.p90Ms, l.latencyMs.p95Ms, l.latencyMs.p99Ms, l.latencyMs.maxMs, l.latencyMs.meanMs,
    l.errors.total, l.errors.byKind['connection-refused'] ?? 0, l.errors.byKind['connection-closed'] ?? 0, l.errors.byKind.timeout ?? 0,
    l.errors.byKind['http-4xx'] ?? 0, l.errors.byKind['http-5xx'] ?? 0, l.clientCpuMicrosPerRequest,
    l.server?.p50Ms, l.server?.p90Ms, l.server?.p99Ms,
  ].map(csvCell).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export function runToJson(run: LoadTestRun): string {
  return JSON.stringify(run, null, 2) + '\n';
}

/** A saved run read back (export → compare); a file that is not one says so. */
export function parseRun(text: string, file: string): LoadTestRun {
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) {
    throw new Error(`${file} is not JSON (${(e as Error).message}); export a run from the Load Test panel or with "tfserving-studio loadtest --json".`);
  }
  const run = data as Partial<LoadTestRun>;
  if (run?.format !== RUN_FORMAT || !Array.isArray(run.levels)) {
    throw new Error(`${file} is not a saved load test run (no "format": "${RUN_FORMAT}"); export one from the Load Test panel or with "tfserving-studio loadtest --json".`);
  }
  return run as LoadTestRun;
}

/** Plain-text table for a terminal. */
/** What a run's table does not say by itself — cancel, missing server latency, late sends, error messages — for the CLI's text and the panel alike. */
export function runNotes(run: LoadTestRun): string[] {
  return [
    ...(run.cancelled ? ['Cancelled: only the levels that finished are shown.'] : []),
    ...(run.serverLatencyNote ? [run.serverLatencyNote] : []),
    ...run.levels.filter((l) => (l.sendLagMs?.p99Ms ?? 0) >= 1).map((l) => `${l.label}: 1 % of requests left ${fmt(l.sendLagMs!.p99Ms)} ms or more after their scheduled time. Waiting for a free connection counts in the latency; the generator's own lateness (p99 ${fmt(l.generatorLagMs?.p99Ms ?? 0)} ms: this machine was busy) does not.`),
    ...run.levels.flatMap((l) => Object.entries(l.errors.messages).map(([k, m]) => `${l.label}: ${l.errors.byKind[k as keyof typeof l.errors.byKind]} × ${k}: ${m}`)),
  ];
}

export function runToText(run: LoadTestRun): string {
  const head = `${run.mode === 'closed' ? 'Closed loop' : 'Open loop'} load test of ${run.target.model} at ${run.target.url} (${run.target.protocol.toUpperCase()}), ${run.source.description}`;
  const cols = ['level', 'req/s', 'ex/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'stable', 'server p50/p99 ms'];
  const rows = run.levels.map((l) => [
    l.label, fmt(l.requestsPerSecond), fmt(l.examplesPerSecond), fmt(l.latencyMs.p50Ms), fmt(l.latencyMs.p90Ms), fmt(l.latencyMs.p95Ms),
    fmt(l.latencyMs.p99Ms), fmt(l.latencyMs.maxMs), errorsText(l), l.stable ? 'yes' : `no (${l.end})`,
    l.server ? `${fmt(l.server.p50Ms)} / ${fmt(l.server.p99Ms)}` : '-',
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const notes = runNotes(run);
  return [head, '', line(cols), ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function errorsText(l: LevelResult): string {
  if (!l.errors.total) return '0';
  return `${l.errors.total} (${Object.entries(l.errors.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`;
}
