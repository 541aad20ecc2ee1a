// Which Prometheus containers of ours run beside which TF Serving server, kept in step with the Serving view:
// re-listed whenever the serving state reloads (a Docker event or an action), never on a timer.
import * as vscode from 'vscode';
import type { ServingState } from '../serving/servingState';
import { errorText } from '../errorText';

export interface PrometheusInstance {
  readonly id: string;
  readonly name: string;
  /** The TF Serving container it scrapes. */
  readonly servingName: string;
  readonly state: string;
  readonly status: string;
  /** http://127.0.0.1:<port>, from the published 9090. */
  readonly url?: string;
}

export class PrometheusInstances implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private byServer = new Map<string, PrometheusInstance>();
  private listing?: Promise<void>;
  private readonly subscription: vscode.Disposable;
  lastError?: string;

  constructor(private readonly state: ServingState) {
    this.subscription = state.onDidChange(() => void this.reload());
  }

  /** The Prometheus scraping `servingName`, if any (running or not). */
  of(servingName: string): PrometheusInstance | undefined {
    return this.byServer.get(servingName);
  }

  reload(): Promise<void> {
    this.listing ??= (async () => {
      const next = new Map<string, PrometheusInstance>();
      try {
        const { findPrometheusContainers, PROMETHEUS_LABELS, PROMETHEUS_PORT } = await import('../../core/monitoring/prometheusContainer');
        const engine = await this.state.engine();
        for (const c of await findPrometheusContainers(engine)) {
          const servingName = c.labels[PROMETHEUS_LABELS.prometheusFor];
          if (!servingName) continue;
          const port = c.ports.find((p) => p.containerPort === PROMETHEUS_PORT && p.hostPort)?.hostPort;
          const inst: PrometheusInstance = {
            id: c.id, name: c.name, servingName, state: c.state, status: c.status,
            url: port ? `http://127.0.0.1:${port}` : undefined,
          };
          // A running one wins over a leftover stopped one.
          const prev = next.get(servingName);
          if (!prev || (prev.state !== 'running' && inst.state === 'running')) next.set(servingName, inst);
        }
        this.lastError = undefined;
      } catch (e) {
        this.lastError = errorText(e);
      } finally {
        this.listing = undefined;
      }
      if (JSON.stringify([...next]) !== JSON.stringify([...this.byServer])) {
        this.byServer = next;
        this.changed.fire();
      }
    })();
    return this.listing;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
