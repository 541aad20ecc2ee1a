// Add / remove / refresh model repositories and copy a version's URI.
import * as vscode from 'vscode';
import { formatLocation, parseLocation } from '../../core/location';
import { addRepository, removeRepository, type RepositorySetting } from '../settings';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { RepositoryNode } from './repositoryNode';
import { TreeNode } from '../trees/treeNode';
import { VersionNode } from './versionNode';
import { COMMANDS } from '../contributions';

export function registerRepositoryCommands(provider: ModelsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.addRepository, async (entry?: RepositorySetting) => {
      // Tests and links may pass the location (or an object with options); people get a picker.
      const chosen = typeof entry === 'string' || (typeof entry === 'object' && entry !== null) ? entry : await pickRepository();
      if (!chosen) return undefined;
      const text = typeof chosen === 'string' ? chosen : chosen.uri;
      try {
        parseLocation(text);
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
        return undefined;
      }
      const added = await addRepository(chosen);
      if (!added) void vscode.window.showInformationMessage(`${text} is already in the Models view.`);
      provider.refresh();
      return chosen;
    }),
    vscode.commands.registerCommand(COMMANDS.removeRepository, async (node?: RepositoryNode) => {
      const target = node instanceof RepositoryNode ? node : await pickRepositoryNode(provider);
      if (!target) return;
      await removeRepository(target.settingEntry);
      provider.refresh();
    }),
    vscode.commands.registerCommand(COMMANDS.refreshModels, () => provider.refresh()),
    vscode.commands.registerCommand(COMMANDS.refreshNode, (node?: TreeNode) => provider.refresh(node instanceof TreeNode ? node : undefined)),
    vscode.commands.registerCommand(COMMANDS.copyVersionUri, async (node?: VersionNode) => {
      if (!(node instanceof VersionNode)) return;
      const uri = formatLocation(node.location);
      await vscode.env.clipboard.writeText(node.location.scheme === 'file' ? node.location.path : uri);
      void vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
    }),
    vscode.commands.registerCommand(COMMANDS.revealInExplorer, async (node?: { location?: { scheme: string; path: string } }) => {
      if (node?.location?.scheme !== 'file') return;
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(node.location.path));
    }),
    vscode.commands.registerCommand(COMMANDS.openWalkthrough, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', 'tfserving-studio.tfserving-studio#tfServing.gettingStarted', false)),
  ];
}

async function pickRepository(): Promise<RepositorySetting | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(folder) Local folder…', id: 'folder', detail: 'A folder holding one folder per model, each with numbered version folders' },
      { label: '$(cloud) Amazon S3 or S3-compatible bucket…', id: 's3', detail: 's3://bucket/prefix — AWS, MinIO, Ceph, LocalStack (custom endpoint, path-style)' },
      { label: '$(cloud) Google Cloud Storage bucket…', id: 'gs', detail: 'gs://bucket/prefix — Application Default Credentials, a service-account key, or an emulator' },
      { label: '$(link) Enter a location…', id: 'uri', detail: 'Any path or URI: /models, file:///models, s3://…, gs://…' },
    ],
    { title: 'Add Model Repository', placeHolder: 'Where are your models?' },
  );
  if (!pick) return undefined;
  if (pick.id === 'folder') {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Add Repository', title: 'Pick a model repository folder' });
    return uris?.[0]?.fsPath;
  }
  const scheme = pick.id === 's3' || pick.id === 'gs' ? pick.id : undefined;
  const uri = await vscode.window.showInputBox({
    title: 'Add Model Repository',
    prompt: scheme ? `The bucket and prefix that holds one folder per model` : 'Folder path or URI of a model repository',
    value: scheme ? `${scheme}://` : undefined,
    validateInput: (v) => {
      try {
        const loc = parseLocation(v);
        return scheme && loc.scheme !== scheme ? `Start with ${scheme}://` : undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  if (!uri || !scheme) return uri;
  const endpoint = await vscode.window.showInputBox({
    title: 'Add Model Repository: endpoint (optional)',
    prompt: scheme === 's3'
      ? 'S3-compatible endpoint such as http://127.0.0.1:9000 (MinIO, Ceph, LocalStack); leave empty for AWS'
      : 'Emulator or private endpoint such as http://127.0.0.1:9199; leave empty for Google Cloud Storage',
    validateInput: (v) => (!v.trim() || /^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'An endpoint is an http:// or https:// URL.'),
  });
  if (endpoint === undefined) return undefined;
  if (scheme === 's3') {
    const region = await vscode.window.showInputBox({ title: 'Add Model Repository: region (optional)', prompt: 'Bucket region, e.g. eu-west-1; leave empty to take it from your AWS profile or AWS_REGION' });
    if (region === undefined) return undefined;
    if (!endpoint.trim() && !region.trim()) return uri;
    return { uri, ...(endpoint.trim() ? { endpoint: endpoint.trim(), forcePathStyle: true } : {}), ...(region.trim() ? { region: region.trim() } : {}) };
  }
  return endpoint.trim() ? { uri, endpoint: endpoint.trim() } : uri;
}

async function pickRepositoryNode(provider: ModelsTreeProvider): Promise<RepositoryNode | undefined> {
  const repos = provider.getRoots().filter((n): n is RepositoryNode => n instanceof RepositoryNode);
  if (!repos.length) return undefined;
  const pick = await vscode.window.showQuickPick(repos.map((r) => ({ label: r.settingEntry, node: r })), { title: 'Remove Model Repository' });
  return pick?.node;
}
