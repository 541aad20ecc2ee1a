// Add / remove / refresh model repositories and copy a version's URI.
import * as vscode from 'vscode';
import { formatLocation, parseLocation } from '../../core/location';
import { addRepository, removeRepository } from '../settings';
import type { ModelsTreeProvider } from '../trees/modelsTreeProvider';
import { RepositoryNode } from '../trees/repositoryNode';
import { TreeNode } from '../trees/treeNode';
import { VersionNode } from '../trees/versionNode';

export function registerRepositoryCommands(provider: ModelsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('tfServing.addRepository', async (entry?: string) => {
      // Tests and links may pass the location; people get a picker.
      const chosen = typeof entry === 'string' ? entry : await pickRepository();
      if (!chosen) return undefined;
      try {
        parseLocation(chosen);
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
        return undefined;
      }
      const added = await addRepository(chosen);
      if (!added) void vscode.window.showInformationMessage(`${chosen} is already in the Models view.`);
      provider.refresh();
      return chosen;
    }),
    vscode.commands.registerCommand('tfServing.removeRepository', async (node?: RepositoryNode) => {
      const target = node instanceof RepositoryNode ? node : await pickRepositoryNode(provider);
      if (!target) return;
      await removeRepository(target.settingEntry);
      provider.refresh();
    }),
    vscode.commands.registerCommand('tfServing.refreshModels', () => provider.refresh()),
    vscode.commands.registerCommand('tfServing.refreshNode', (node?: TreeNode) => provider.refresh(node instanceof TreeNode ? node : undefined)),
    vscode.commands.registerCommand('tfServing.copyVersionUri', async (node?: VersionNode) => {
      if (!(node instanceof VersionNode)) return;
      const uri = formatLocation(node.location);
      await vscode.env.clipboard.writeText(node.location.scheme === 'file' ? node.location.path : uri);
      void vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
    }),
    vscode.commands.registerCommand('tfServing.revealInExplorer', async (node?: { location?: { scheme: string; path: string } }) => {
      if (node?.location?.scheme !== 'file') return;
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(node.location.path));
    }),
    vscode.commands.registerCommand('tfServing.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', 'tfserving-studio.tfserving-studio#tfServing.gettingStarted', false)),
  ];
}

async function pickRepository(): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(folder) Local folder…', id: 'folder', detail: 'A folder holding one folder per model, each with numbered version folders' },
      { label: '$(link) Enter a location…', id: 'uri', detail: 'A path or URI: /models, file:///models (s3:// and gs:// arrive with bucket support)' },
    ],
    { title: 'Add Model Repository', placeHolder: 'Where are your models?' },
  );
  if (!pick) return undefined;
  if (pick.id === 'folder') {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Add Repository', title: 'Pick a model repository folder' });
    return uris?.[0]?.fsPath;
  }
  return vscode.window.showInputBox({
    title: 'Add Model Repository',
    prompt: 'Folder path or file:// URI of a model repository',
    validateInput: (v) => {
      try {
        parseLocation(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
}

async function pickRepositoryNode(provider: ModelsTreeProvider): Promise<RepositoryNode | undefined> {
  const repos = provider.getRoots().filter((n): n is RepositoryNode => n instanceof RepositoryNode);
  if (!repos.length) return undefined;
  const pick = await vscode.window.showQuickPick(repos.map((r) => ({ label: r.settingEntry, node: r })), { title: 'Remove Model Repository' });
  return pick?.node;
}
