// Where one server's panel gets its numbers: Prometheus' query_range when our Prometheus runs for the server,
// otherwise direct scrapes of the server's metrics page with rates computed here (core MetricsSeries).
import type { DashboardModel, VersionRow } from '../../core/monitoring/dashboardModel';
import type { MetricsSeries } from '../../core/monitoring/metricsSeries';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import { tfServingClients } from '../../core/serving/servingState';

export type MetricsOrigin = 'prometheus' | 'direct';

export interface PanelData {
  readonly server: string;
  readonly origin: MetricsOrigin;
  /** Prometheus' URL or the metrics page, shown in the panel's header. */
  readonly from: string;
  readonly updatedMs: number;
  readonly model: DashboardModel;
}

/** How far back the Prometheus charts go; direct scrapes keep their own points since the panel opened. */
const RANGE_SECONDS = 10 * 60;
const STEP_SECONDS = 5;

export class MetricsSource {
  private series?: MetricsSeries;

  constructor(private container: ServingContainer) {}

  setContainer(c: ServingContainer): void {
    // A re-created container (new id) starts its counters again: start the direct series again too.
    if (c.id !== this.container.id) this.series = undefined;
    this.container = c;
  }

  async collect(prometheusUrl: string | undefined): Promise<PanelData> {
    const c = this.container;
    const versions = await this.versions();
    if (prometheusUrl) return { server: c.name, origin: 'prometheus', from: prometheusUrl, updatedMs: Date.now(), model: await this.fromPrometheus(prometheusUrl, versions) };
    if (!c.restUrl || !c.monitoringPath) {
      const { dashboardFromPoints } = await import('../../core/monitoring/dashboardModel');
      const model = dashboardFromPoints([], [], versions);
      return { server: c.name, origin: 'direct', from: '', updatedMs: Date.now(), model: { ...model, notes: [`${c.name} exposes no metrics: it runs without a monitoring config. Run "Start Prometheus" on it to be offered a restart with one.`] } };
    }
    const url = `${c.restUrl}${c.monitoringPath}`;
    return { server: c.name, origin: 'direct', from: url, updatedMs: Date.now(), model: await this.fromScrape(versions) };
  }

  private async versions(): Promise<VersionRow[]> {
    const c = this.container;
    if (!c.restUrl || !c.modelName) return [];
    try {
      const status = await (await tfServingClients(c.restUrl, 2000)).status(c.modelName);
      return status.value.map((v) => ({
        model: c.modelName!, version: String(v.version), state: v.state,
        ...(v.status?.error_message ? { error: v.status.error_message } : {}),
      }));
    } catch (e) {
      return [{ model: c.modelName, version: '', state: 'not answering', error: (e as Error).message }];
    }
  }

  private async fromScrape(versions: VersionRow[]): Promise<DashboardModel> {
    const c = this.container;
    const { MetricsSeries, scrapeFromText } = await import('../../core/monitoring/metricsSeries');
    const { dashboardFromPoints } = await import('../../core/monitoring/dashboardModel');
    this.series ??= new MetricsSeries(360);
    const text = (await (await tfServingClients(c.restUrl!, 3000)).metrics(c.monitoringPath!)).value;
    this.series.add(scrapeFromText(text, Date.now()));
    return dashboardFromPoints(this.series.points(), this.series.loads(), versions);
  }

  private async fromPrometheus(url: string, versions: VersionRow[]): Promise<DashboardModel> {
    const { PrometheusApiClient } = await import('../../core/monitoring/prometheusApiClient');
    const { panelQueries } = await import('../../core/monitoring/panelQueries');
    const { DEFAULT_JOB_NAME } = await import('../../core/monitoring/prometheusConfigWriter');
    const { dashboardFromRanges } = await import('../../core/monitoring/dashboardModel');
    const { modelLoadsFromPrometheus } = await import('../../core/monitoring/metricsSeries');
    const api = new PrometheusApiClient(url, 5000);
    // One Prometheus per server: the job alone selects it.
    const q = panelQueries({ job: DEFAULT_JOB_NAME });
    const end = Math.floor(Date.now() / 1000);
    const start = end - RANGE_SECONDS;
    const range = (expr: string) => api.queryRange(expr, start, end, STEP_SECONDS);
    const [requestRate, errorRate, p50, p90, p99, batchesPerSecond, batchingQueueP99, loadLatency, loadAttempts] = await Promise.all([
      range(q.requestRate), range(q.errorRate), range(q.latencyP50), range(q.latencyP90), range(q.latencyP99),
      range(q.batchesPerSecond), range(q.batchingQueueP99), api.query(q.modelLoadLatency), api.query(q.loadAttempts),
    ]);
    return dashboardFromRanges(
      { requestRate, errorRate, latency: { p50, p90, p99 }, batchesPerSecond, batchingQueueP99 },
      modelLoadsFromPrometheus(loadLatency, loadAttempts),
      versions,
    );
  }
}
