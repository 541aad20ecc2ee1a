// Read-only documents the conversion commands open: generated scripts (.py) and Markdown reports (.md), served from
// memory under the tfserving-convert: scheme so nothing is written to the user's folders.
import * as vscode from 'vscode';

export const CONVERSION_SCHEME = 'tfserving-convert';

export class ConversionDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Stores text under a new URI ending in fileName (its extension picks the language). */
  add(kind: 'script' | 'report', fileName: string, text: string): vscode.Uri {
    const safe = fileName.replace(/[^\w.-]+/g, '-');
    const uri = vscode.Uri.from({ scheme: CONVERSION_SCHEME, path: `/${kind}/${++this.counter}/${safe}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}

export async function openScript(docs: ConversionDocuments, fileName: string, script: string): Promise<vscode.Uri> {
  const uri = docs.add('script', fileName, script);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return uri;
}

/** Opens a Markdown report as a rendered preview (falls back to the text when the Markdown extension is off). */
export async function openReport(docs: ConversionDocuments, fileName: string, markdown: string): Promise<vscode.Uri> {
  const uri = docs.add('report', fileName, markdown);
  const doc = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return uri;
}
