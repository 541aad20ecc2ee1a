// The HTML page of a chart webview (metrics, load test): a strict Content-Security-Policy, uPlot's stylesheet and the
// panel's own, and one script by nonce. The panels differ only in their stylesheet, title, body and script.
import * as crypto from 'crypto';
import * as vscode from 'vscode';

export interface ChartPage {
  /** Under media/: e.g. ['metrics', 'metrics.css']. */
  readonly stylesheet: readonly string[];
  /** The bundle under dist/webview/, e.g. 'metrics.js'. */
  readonly script: string;
  readonly title: string;
  /** The body's markup before the script; `esc` escapes text put into it. */
  readonly body: (esc: (s: string) => string) => string;
}

export function chartPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: ChartPage): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'webview', 'uPlot.min.css')}">
<link rel="stylesheet" href="${asset('media', ...page.stylesheet)}">
<title>${esc(page.title)}</title>
</head>
<body>
${page.body(esc)}
<script nonce="${nonce}" src="${asset('dist', 'webview', page.script)}"></script>
</body>
</html>`;
}
