// Prometheus' HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/) as the metrics panel uses it:
// instant and range queries, the target list, readiness. Node's fetch, with a timeout on every call.

export type PromLabels = Record<string, string>;
export interface InstantSample { readonly metric: PromLabels; readonly timeSeconds: number; readonly value: number }
export interface RangeSeries { readonly metric: PromLabels; readonly points: { readonly timeSeconds: number; readonly value: number }[] }

export interface ScrapeTargetInfo {
  readonly job: string;
  readonly scrapeUrl: string;
  /** up, down or unknown (not scraped yet). */
  readonly health: string;
  readonly lastError: string;
  readonly lastScrape?: string;
  readonly labels: PromLabels;
}

export class PrometheusApiError extends Error {
  constructor(message: string, readonly errorType?: string, readonly status?: number) {
    super(message);
    this.name = 'PrometheusApiError';
  }
}

/** Sample values come as strings: "1.5", "NaN", "+Inf", "-Inf". */
export function promValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

export class PrometheusApiClient {
  private readonly base: string;

  constructor(baseUrl: string, private readonly timeoutMs = 10_000) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** True once Prometheus answers /-/ready with 200 (it says 503 while replaying its WAL). */
  async ready(): Promise<boolean> {
    try {
      const r = await fetch(`${this.base}/-/ready`, { signal: AbortSignal.timeout(this.timeoutMs) });
      await r.arrayBuffer();
      return r.status === 200;
    } catch {
      return false;
    }
  }

  async query(expr: string, timeSeconds?: number): Promise<InstantSample[]> {
    const params: Record<string, string> = { query: expr };
    if (timeSeconds !== undefined) params.time = String(timeSeconds);
    const data = await this.call<{ resultType: string; result: unknown }>('/api/v1/query', params);
    if (data.resultType === 'scalar') {
      const [t, v] = data.result as [number, string];
      return [{ metric: {}, timeSeconds: t, value: promValue(v) }];
    }
    if (data.resultType !== 'vector') throw new PrometheusApiError(`Expected a vector from "${expr}", got a ${data.resultType}.`);
    return (data.result as { metric: PromLabels; value: [number, string] }[]).map((r) => ({
      metric: r.metric, timeSeconds: r.value[0], value: promValue(r.value[1]),
    }));
  }

  async queryRange(expr: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<RangeSeries[]> {
    const data = await this.call<{ resultType: string; result: unknown }>('/api/v1/query_range', {
      query: expr, start: String(startSeconds), end: String(endSeconds), step: String(stepSeconds),
    });
    if (data.resultType !== 'matrix') throw new PrometheusApiError(`Expected a matrix from "${expr}", got a ${data.resultType}.`);
    return (data.result as { metric: PromLabels; values: [number, string][] }[]).map((r) => ({
      metric: r.metric,
      points: r.values.map(([t, v]) => ({ timeSeconds: t, value: promValue(v) })),
    }));
  }

  async targets(): Promise<ScrapeTargetInfo[]> {
    const data = await this.call<{ activeTargets: { labels: PromLabels; scrapePool: string; scrapeUrl: string; health: string; lastError: string; lastScrape?: string }[] }>(
      '/api/v1/targets', { state: 'active' });
    return data.activeTargets.map((t) => ({
      job: t.labels.job ?? t.scrapePool, scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError, lastScrape: t.lastScrape, labels: t.labels,
    }));
  }

  /** GET with form parameters; POST would also do, but GET keeps the URL visible in Prometheus' logs. */
  private async call<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = `${this.base}${path}?${new URLSearchParams(params).toString()}`;
    let r: Response;
    try {
      r = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    } catch (e) {
      throw new PrometheusApiError(`Prometheus at ${this.base} did not answer: ${(e as Error).message}.`);
    }
    const text = await r.text();
    let body: { status?: string; data?: T; errorType?: string; error?: string };
    try { body = JSON.parse(text); } catch {
      throw new PrometheusApiError(`Prometheus at ${this.base} answered ${path} with HTTP ${r.status} and no JSON.`, undefined, r.status);
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new PrometheusApiError(`Prometheus refused the ${path} call: ${body.error ?? `HTTP ${r.status}`}.`, body.errorType, r.status);
    }
    return body.data;
  }
}
