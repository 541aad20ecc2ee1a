// The PromQL behind each chart of the metrics panel, for one TF Serving server (selected by its scrape job and,
// optionally, instance). The same quantities metricsSeries.ts computes from direct scrapes.
import * as M from './tfServingMetricNames';

export interface PanelQueryScope {
  readonly job: string;
  readonly instance?: string;
  /** The rate window, a Prometheus duration; at least 4 scrape intervals so rate() always has two points. */
  readonly window?: string;
}

export const DEFAULT_RATE_WINDOW = '1m';

function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function selector(scope: PanelQueryScope, extra = ''): string {
  const m = [`job=${quote(scope.job)}`];
  if (scope.instance) m.push(`instance=${quote(scope.instance)}`);
  if (extra) m.push(extra);
  return `{${m.join(',')}}`;
}

export interface PanelQueries {
  readonly requestRate: string;
  readonly errorRate: string;
  readonly latencyP50: string;
  readonly latencyP90: string;
  readonly latencyP99: string;
  readonly modelLoadLatency: string;
  readonly loadAttempts: string;
  readonly batchingQueueP99: string;
  readonly batchesPerSecond: string;
  readonly up: string;
}

/** Request and error rates in requests/s by model_name; latencies in microseconds, as TF Serving records them. */
export function panelQueries(scope: PanelQueryScope): PanelQueries {
  const w = scope.window ?? DEFAULT_RATE_WINDOW;
  const s = selector(scope);
  const latency = (q: number) =>
    `histogram_quantile(${q}, sum by (le, model_name) (rate(${M.REQUEST_LATENCY}_bucket${s}[${w}])))`;
  return {
    requestRate: `sum by (model_name) (rate(${M.REQUEST_COUNT}${s}[${w}]))`,
    errorRate: `sum by (model_name) (rate(${M.REQUEST_COUNT}${selector(scope, 'status!="OK"')}[${w}]))`,
    latencyP50: latency(0.5),
    latencyP90: latency(0.9),
    latencyP99: latency(0.99),
    modelLoadLatency: `${M.LOAD_LATENCY}${s}`,
    loadAttempts: `sum by (model_path, status) (${M.LOAD_ATTEMPT_COUNT}${s})`,
    batchingQueueP99: `histogram_quantile(0.99, sum by (le) (rate(${M.BATCHING_SESSION_QUEUING_LATENCY}_bucket${s}[${w}])))`,
    batchesPerSecond: `sum(rate(${M.BATCHING_SESSION_WRAPPED_RUN_COUNT}${s}[${w}]))`,
    up: `up${s}`,
  };
}
