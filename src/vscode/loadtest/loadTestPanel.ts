// The Load Test panel: one run drawn live while it runs (curves against the level, a table), exported as CSV or
// JSON, or two saved runs side by side. Drawn by media/loadtest/main.ts (bundled to dist/webview/loadtest.js with
// uPlot) under a strict CSP: nothing remote, scripts only with this page's nonce.
import * as vscode from 'vscode';
import { chartPageHtml } from '../chartPage';
import { runToCsv, runToJson, type LoadTestRun } from '../../core/loadtest/loadTestReport';
import type { FromPage, LiveStatus, ToPage } from './loadTestMessages';

export type DrawnTables = Extract<FromPage, { type: 'drawn' }>;

export class LoadTestPanel implements vscode.Disposable {
  private runs: LoadTestRun[] = [];
  private titles: string[] = [];
  private status?: LiveStatus;
  private drawnWaiters: { seq: number; resolve: (d: DrawnTables) => void }[] = [];
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last thing the page drew (tests compare it with the run's numbers). */
  lastDrawn?: DrawnTables;
  onCancel?: () => void;
  disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, title: string) {
    panel.webview.html = pageHtml(panel.webview, extensionUri, title);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromPage) => void this.onMessage(m)),
    );
  }

  static create(context: vscode.ExtensionContext, title: string): LoadTestPanel {
    const panel = vscode.window.createWebviewPanel('tfServing.loadTestPanel', title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media', 'loadtest')],
      // A hidden page is dropped and asks for the runs again when shown.
      retainContextWhenHidden: false,
    });
    return new LoadTestPanel(panel, context.extensionUri, title);
  }

  /** Sends the runs to the page; resolves with its drawing of them (undefined if it does not draw in time). */
  show(runs: LoadTestRun[], titles: string[], status?: LiveStatus, timeoutMs = 15_000): Promise<DrawnTables | undefined> {
    this.runs = runs;
    this.titles = titles;
    this.status = status;
    const seq = ++this.seq;
    this.post();
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.drawnWaiters = this.drawnWaiters.filter((w) => w.seq !== seq); resolve(undefined); }, timeoutMs);
      this.drawnWaiters.push({ seq, resolve: (d) => { clearTimeout(t); resolve(d); } });
    });
  }

  private post(): void {
    if (this.disposed) return;
    const msg: ToPage = { type: 'runs', seq: this.seq, runs: this.runs, titles: this.titles, ...(this.status ? { status: this.status } : {}) };
    void this.panel.webview.postMessage(msg);
  }

  private async onMessage(m: FromPage): Promise<void> {
    if (m?.type === 'ready') this.post();
    else if (m?.type === 'cancel') this.onCancel?.();
    else if (m?.type === 'drawn') {
      this.lastDrawn = m;
      // A page reloaded (hidden and shown) draws the latest message again: that settles older waits too.
      const done = this.drawnWaiters.filter((w) => w.seq <= m.seq);
      this.drawnWaiters = this.drawnWaiters.filter((w) => w.seq > m.seq);
      for (const w of done) w.resolve(m);
    } else if (m?.type === 'export' && this.runs.length === 1) {
      await exportRun(this.runs[0], m.format);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onCancel?.();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

/** Save dialog, then the file; `to` skips the dialog. */
export async function exportRun(run: LoadTestRun, format: 'csv' | 'json', to?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const stamp = run.startedAt.replace(/[:.]/g, '-').replace(/Z$/, '');
  const uri = to ?? await vscode.window.showSaveDialog({
    title: `Export load test (${format.toUpperCase()})`,
    defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(require('os').homedir()), `loadtest-${run.target.model}-${stamp}.${format}`),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(format === 'csv' ? runToCsv(run) : runToJson(run), 'utf8'));
  if (!to) void vscode.window.setStatusBarMessage(`Load test exported to ${uri.fsPath}`, 5000);
  return uri;
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return chartPageHtml(webview, extensionUri, {
    stylesheet: ['loadtest', 'loadtest.css'], script: 'loadtest.js', title,
    body: (esc) => `<header><h1>${esc(title)}</h1><span id="status" class="status"></span>
<button id="cancel" hidden>Cancel</button><button id="exportCsv" hidden>Export CSV</button><button id="exportJson" hidden>Export JSON</button></header>
<section id="charts" class="charts"></section>
<section id="tables" class="tables"></section>`,
  });
}
