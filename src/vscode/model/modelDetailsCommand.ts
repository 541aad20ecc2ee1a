// "Show Model Details": a read-only Markdown report of what is inside a version, opened as a preview.
import * as vscode from 'vscode';
import { formatLocation, parseLocation } from '../../core/location';
import { inspectVersion } from '../../core/model/modelInspector';
import { renderModelDetailsReport } from '../../core/model/modelDetailsReport';
import { storeVersionSource } from '../../core/model/storeVersionSource';
import { errorText } from '../errorText';
import type { TreeNode } from '../trees/treeNode';
import { VersionNode } from './versionNode';
import { COMMANDS } from '../contributions';

export const DETAILS_SCHEME = 'tfserving-details';

/** Reports by URI; generated on demand and kept while the document is open. */
class ModelDetailsDocuments implements vscode.TextDocumentContentProvider {
  readonly reports = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# Report no longer available\n\nRun **Show Model Details** again.';
  }
}

export function registerModelDetailsCommand(_context: vscode.ExtensionContext, view: vscode.TreeView<TreeNode>): vscode.Disposable {
  const documents = new ModelDetailsDocuments();
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, documents),
    vscode.commands.registerCommand(COMMANDS.showModelDetails, async (node?: VersionNode | vscode.Uri | string, options?: { preview?: boolean }) => {
      const target = node ?? view.selection.find((n): n is VersionNode => n instanceof VersionNode) ?? (await askForFolder());
      if (!target) return undefined;
      try {
        const { summary, title, key } = await inspectTarget(target);
        const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${title.replace(/[^\w.-]+/g, '_')}.md`, query: key });
        documents.reports.set(uri.toString(), renderModelDetailsReport(summary, title));
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
        if (options?.preview !== false) await vscode.commands.executeCommand('markdown.showPreview', uri);
        else await vscode.window.showTextDocument(doc, { preview: true });
        return doc;
      } catch (e) {
        void vscode.window.showErrorMessage(`Show Model Details: ${errorText(e)}`);
        return undefined;
      }
    }),
  );
}

async function inspectTarget(target: VersionNode | vscode.Uri | string) {
  if (target instanceof VersionNode) {
    const store = await target.model.repository.openStore();
    return {
      summary: await inspectVersion(storeVersionSource(store, target.location)),
      title: `${target.model.name} version ${target.version.version}`,
      key: formatLocation(target.location),
    };
  }
  const dir = typeof target === 'string' ? parseLocation(target).path : target.fsPath;
  return { summary: await inspectVersion(dir), title: dir, key: dir };
}

async function askForFolder(): Promise<vscode.Uri | undefined> {
  return (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Pick a model version folder (with saved_model.pb or model.tflite)', openLabel: 'Show Details' }))?.[0];
}
