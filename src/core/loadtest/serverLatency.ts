// TF Serving's own latency over a load test's measured time: its Prometheus page scraped when measuring starts and
// when it ends, and the request_latency histogram's increase between the two read as percentiles (the same rates
// the metrics panel computes). Its buckets grow by 1.8× each, so these are interpolated within a bucket.
import { metricsPoint, scrapeFromText, type Scrape } from '../monitoring/metricsSeries';
import { TfServingClient } from '../serving/tfServingClient';
import { round } from './loadTestReport';
import type { ServerLatency } from './loadTestReport';

export class ServerLatencyProbe {
  private readonly client: TfServingClient;
  /** Why the last window has no server latency. */
  note?: string;

  constructor(restUrl: string, private readonly metricsPath: string, private readonly model: string) {
    this.client = new TfServingClient(restUrl, 5_000);
  }

  private async scrape(): Promise<Scrape | undefined> {
    try {
      const r = await this.client.metrics(this.metricsPath);
      return scrapeFromText(r.value, Date.now());
    } catch (e) {
      this.note = `TF Serving's metrics at ${this.metricsPath} could not be read (${(e as Error).message}), so its own latency is not shown.`;
      return undefined;
    }
  }

  /** Starts a window; `end()` gives the server's percentiles over it. */
  window(): { end(): Promise<ServerLatency | undefined> } {
    const first = this.scrape();
    return {
      end: async () => {
        const [a, b] = [await first, await this.scrape()];
        if (!a || !b || b.timeMs <= a.timeMs) return undefined;
        const rates = metricsPoint(a, b).models.find((m) => m.model === this.model);
        if (!rates?.latencyMs) {
          this.note = `TF Serving recorded no ${this.model} request in its request_latency histogram during the window.`;
          return undefined;
        }
        return { p50Ms: round(rates.latencyMs.p50), p90Ms: round(rates.latencyMs.p90), p99Ms: round(rates.latencyMs.p99), requestsPerSecond: round(rates.requestRate) };
      },
    };
  }
}
