// "Show Metrics": one webview panel per server, drawn by media/metrics/main.ts (bundled to dist/webview/metrics.js
// with uPlot). Strict CSP: nothing remote, scripts only with this page's nonce. Updates run only while the panel is
// visible; closing it stops them.
import * as vscode from 'vscode';
import { chartPageHtml } from '../chartPage';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import type { ServingState } from '../serving/servingState';
import { ContainerNode } from '../serving/servingTreeProvider';
import { errorText } from '../errorText';
import type { PrometheusInstances } from './prometheusInstances';
import { MetricsSource, type PanelData } from './metricsSource';
import { COMMANDS } from '../contributions';

/** TF Serving is scraped every 5 s by our Prometheus; the panel follows at the same pace. */
export const REFRESH_MS = 5000;

class MetricsPanel implements vscode.Disposable {
  private timer?: NodeJS.Timeout;
  private readonly source: MetricsSource;
  private last?: PanelData;
  private pending?: Promise<PanelData | undefined>;
  private readonly disposables: vscode.Disposable[] = [];
  disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, private container: ServingContainer, private readonly instances: PrometheusInstances, onDispose: () => void) {
    this.source = new MetricsSource(container);
    this.disposables.push(
      panel.onDidDispose(() => { this.dispose(); onDispose(); }),
      panel.onDidChangeViewState((e) => this.schedule(e.webviewPanel.visible)),
      panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        // The page asks once its script runs; a reloaded page (theme or layout change) asks again.
        if (m?.type === 'ready' && this.last) void panel.webview.postMessage({ type: 'data', data: this.last });
      }),
    );
    this.schedule(panel.visible);
  }

  setContainer(c: ServingContainer): void {
    this.container = c;
    this.source.setContainer(c);
  }

  private schedule(visible: boolean): void {
    if (this.disposed) return;
    if (visible && !this.timer) {
      void this.update();
      this.timer = setInterval(() => void this.update(), REFRESH_MS);
    } else if (!visible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Collects and posts one update; concurrent callers share it. */
  update(): Promise<PanelData | undefined> {
    this.pending ??= (async () => {
      try {
        const prom = this.instances.of(this.container.name);
        const data = await this.source.collect(prom?.state === 'running' ? prom.url : undefined);
        this.last = data;
        if (!this.disposed) void this.panel.webview.postMessage({ type: 'data', data });
        return data;
      } catch (e) {
        if (!this.disposed) void this.panel.webview.postMessage({ type: 'error', message: errorText(e) });
        return undefined;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

export function registerMetricsPanel(context: vscode.ExtensionContext, state: ServingState, instances: PrometheusInstances): vscode.Disposable[] {
  const panels = new Map<string, MetricsPanel>();

  const show = async (arg?: ContainerNode | { containerId: string }): Promise<PanelData | undefined> => {
    let c: ServingContainer | undefined;
    if (arg instanceof ContainerNode) c = arg.container;
    else {
      const containers = await state.reload();
      if (arg && 'containerId' in arg) c = containers.find((x) => x.id === arg.containerId || x.name === arg.containerId);
      else {
        const running = containers.filter((x) => x.state === 'running');
        if (!running.length) {
          void vscode.window.showInformationMessage('No TF Serving container is running.');
          return undefined;
        }
        c = running.length === 1 ? running[0] : (await vscode.window.showQuickPick(running.map((x) => ({ label: x.name, description: x.image, x })), { title: 'Metrics of which server?' }))?.x;
      }
    }
    if (!c) return undefined;
    await instances.reload();
    let p = panels.get(c.name);
    if (p) {
      p.setContainer(c);
      p.panel.reveal();
    } else {
      const mediaRoots = [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media', 'metrics')];
      const panel = vscode.window.createWebviewPanel('tfServing.metrics', `Metrics: ${c.name}`, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: mediaRoots,
        // No retained context: a hidden page is dropped (costing nothing) and asks for the last data when shown.
        retainContextWhenHidden: false,
      });
      panel.webview.html = metricsHtml(panel.webview, context.extensionUri, c.name);
      const name = c.name;
      p = new MetricsPanel(panel, c, instances, () => panels.delete(name));
      panels.set(name, p);
    }
    return p.update();
  };

  return [
    vscode.commands.registerCommand(COMMANDS.showMetrics, show),
    // A Prometheus started or stopped changes where the numbers come from: update visible panels at once.
    instances.onDidChange(() => { for (const p of panels.values()) if (p.running) void p.update(); }),
    { dispose: () => { for (const p of panels.values()) p.panel.dispose(); panels.clear(); } },
  ];
}

function metricsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, server: string): string {
  return chartPageHtml(webview, extensionUri, {
    stylesheet: ['metrics', 'metrics.css'], script: 'metrics.js', title: `Metrics: ${server}`,
    body: (esc) => `<header><h1>${esc(server)}</h1><span id="origin" class="origin">Loading…</span></header>
<ul id="notes" class="notes"></ul>
<div id="error" class="error" hidden></div>
<section id="charts" class="charts"></section>
<section class="tables">
  <div><h2>Versions</h2><table id="versions"><thead><tr><th>Model</th><th>Version</th><th>State</th></tr></thead><tbody></tbody></table></div>
  <div><h2>Model load latency</h2><table id="loads"><thead><tr><th>Model</th><th>Version</th><th>Load time</th><th>Failed loads</th></tr></thead><tbody></tbody></table></div>
</section>`,
  });
}
