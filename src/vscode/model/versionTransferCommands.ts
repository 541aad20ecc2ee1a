// Publish a local SavedModel or .tflite as the next version, download a version, delete a version.
import * as vscode from 'vscode';
import * as path from 'path';
import { promises as fs } from 'fs';
import { displayLocation, formatLocation } from '../../core/location';
import { formatBytes } from '../../core/format';
import type { TransferProgress } from '../../core/storage/modelStore';
import { listVersionNumbers } from '../../core/model/modelRepository';
import { errorText } from '../errorText';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { ModelNode } from './modelNode';
import { VersionNode } from './versionNode';
import { COMMANDS } from '../contributions';

export function registerVersionTransferCommands(provider: ModelsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.publishVersion, async (node?: ModelNode, source?: string, version?: number) => {
      if (!(node instanceof ModelNode)) {
        void vscode.window.showInformationMessage('Run "Publish as New Version…" from a model in the Models view.');
        return undefined;
      }
      const store = await node.repository.openStore();
      // Over the whole level, so "latest + 1" is right even when the view shows one page.
      const existing = await listVersionNumbers(store, node.location);
      const next = (existing.at(-1) ?? 0) + 1;
      const src = source ?? (await pickSource());
      if (!src) return undefined;
      // Called with a source (tests, other commands), the version defaults to latest + 1 without asking.
      const chosen = version ?? (source ? next : await askVersion(next, existing));
      if (chosen === undefined) return undefined;
      // The suggested number moves on if another publish claims it first; a number the user typed does not.
      const result = await withTransferProgress(`Publishing ${path.basename(src)} as ${node.name} version ${chosen}`, (onProgress, signal) =>
        store.publish(src, node.location, chosen, { onProgress, signal, nextFreeIfTaken: chosen === next }));
      provider.refresh(node);
      if (result) void vscode.window.showInformationMessage([`Published ${node.name} version ${result.version}: ${result.files} files, ${formatBytes(result.bytes)} at ${formatLocation(result.location)}.`, ...(result.notes ?? [])].join(' '));
      return result;
    }),
    vscode.commands.registerCommand(COMMANDS.downloadVersion, async (node?: VersionNode, destination?: string) => {
      if (!(node instanceof VersionNode)) return undefined;
      const parent = destination ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Download Here', title: `Download ${node.model.name} version ${node.version.version} into…` }))?.[0]?.fsPath;
      if (!parent) return undefined;
      const dest = path.join(parent, node.version.folder);
      if (await fs.stat(dest).then(() => true, () => false)) {
        void vscode.window.showErrorMessage(`${dest} already exists. Pick another folder; nothing was overwritten.`);
        return undefined;
      }
      const store = await node.model.repository.openStore();
      const result = await withTransferProgress(`Downloading ${node.model.name} version ${node.version.version}`, (onProgress, signal) =>
        store.download(node.location, dest, { onProgress, signal }));
      if (result) void vscode.window.showInformationMessage(`Downloaded ${result.files} files (${formatBytes(result.bytes)}) to ${dest}.`);
      return result ? dest : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.deleteVersion, async (node?: VersionNode, confirmed?: boolean) => {
      if (!(node instanceof VersionNode)) return undefined;
      const store = await node.model.repository.openStore();
      const files = await store.listFiles(node.location);
      const what = `${node.model.name} version ${node.version.version}`;
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(
          `Delete ${what}?`,
          { modal: true, detail: `${files.length} object${files.length === 1 ? '' : 's'} (${formatBytes(files.reduce((s, f) => s + (f.bytes ?? 0), 0))}) under ${displayLocation(node.location)} will be deleted. A server polling this model unloads the version.` },
          'Delete',
        );
        if (answer !== 'Delete') return undefined;
      }
      try {
        const removed = await store.delete(node.location);
        provider.refresh(node.model);
        void vscode.window.showInformationMessage(`Deleted ${what} (${removed} objects).`);
        return removed;
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not delete ${what}: ${errorText(e)}`);
        return undefined;
      }
    }),
  ];
}

async function pickSource(): Promise<string | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(folder) SavedModel folder…', id: 'folder', detail: 'The folder holding saved_model.pb and variables/' },
      { label: '$(file-binary) TFLite file…', id: 'tflite', detail: 'A .tflite file; it becomes model.tflite in the new version' },
    ],
    { title: 'Publish as New Version', placeHolder: 'What do you publish?' },
  );
  if (!kind) return undefined;
  const uris = await vscode.window.showOpenDialog(kind.id === 'folder'
    ? { canSelectFolders: true, canSelectFiles: false, openLabel: 'Publish', title: 'Pick a SavedModel folder' }
    : { canSelectFolders: false, canSelectFiles: true, filters: { 'TFLite model': ['tflite'] }, openLabel: 'Publish', title: 'Pick a .tflite file' });
  return uris?.[0]?.fsPath;
}

async function askVersion(next: number, existing: number[]): Promise<number | undefined> {
  const taken = new Set(existing);
  const value = await vscode.window.showInputBox({
    title: 'Publish as New Version',
    prompt: 'Version number (TF Serving serves the highest valid version by default)',
    value: String(next),
    validateInput: (v) => {
      if (!/^\d+$/.test(v.trim())) return 'A version is a whole number, e.g. 3 (TF Serving ignores other folder names).';
      if (taken.has(Number(v))) return `Version ${Number(v)} already exists; published versions are never overwritten.`;
      return undefined;
    },
  });
  return value === undefined ? undefined : Number(value.trim());
}

/** Runs a transfer under a cancellable progress notification; returns undefined after showing a failure. */
async function withTransferProgress<T>(title: string, run: (onProgress: (p: TransferProgress) => void, signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    let reported = 0;
    try {
      return await run((p) => {
        const pct = p.bytesTotal ? (p.bytesDone / p.bytesTotal) * 100 : 0;
        progress.report({ increment: pct - reported, message: `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` });
        reported = pct;
      }, ctl.signal);
    } catch (e) {
      void vscode.window.showErrorMessage(`${title} failed: ${errorText(e)}`);
      return undefined;
    }
  });
}
