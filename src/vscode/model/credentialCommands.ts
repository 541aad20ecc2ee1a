// Set, replace and forget the keys of a bucket repository; they go to SecretStorage only.
import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import { displayLocation } from '../../core/location';
import type { RepositoryCredentials } from '../repositoryCredentials';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { RepositoryNode } from './repositoryNode';
import { COMMANDS } from '../contributions';

export function registerCredentialCommands(provider: ModelsTreeProvider, credentials: RepositoryCredentials): vscode.Disposable[] {
  const pickBucketRepo = async (node?: RepositoryNode) => {
    if (node instanceof RepositoryNode) return node;
    const repos = provider.getRoots().filter((n): n is RepositoryNode => n instanceof RepositoryNode && n.location.scheme !== 'file');
    if (!repos.length) {
      void vscode.window.showInformationMessage('Credentials are for S3 and GCS repositories; add one first with "TF Serving: Add Model Repository…".');
      return undefined;
    }
    return (await vscode.window.showQuickPick(repos.map((r) => ({ label: displayLocation(r.location), node: r })), { title: 'Which repository?' }))?.node;
  };

  return [
    vscode.commands.registerCommand(COMMANDS.setRepositoryCredentials, async (node?: RepositoryNode, given?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | { serviceAccountFile: string }) => {
      const repo = await pickBucketRepo(node);
      if (!repo) return false;
      const where = displayLocation(repo.location);
      if (repo.location.scheme === 's3') {
        const keys = given && 'accessKeyId' in given ? given : await askS3Keys(where);
        if (!keys) return false;
        await credentials.set(repo.location, { s3: keys });
      } else {
        const file = given && 'serviceAccountFile' in given ? given.serviceAccountFile : (await vscode.window.showOpenDialog({ canSelectFiles: true, filters: { 'Service-account key': ['json'] }, title: `Service-account key for ${where}`, openLabel: 'Use This Key' }))?.[0]?.fsPath;
        if (!file) return false;
        const json = await fs.readFile(file, 'utf8');
        const parsed = safeParse(json);
        if (parsed?.type !== 'service_account' || typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string') {
          void vscode.window.showErrorMessage(`${file} is not a service-account key: it needs "type": "service_account", "client_email" and "private_key". Download a JSON key from IAM → Service accounts → Keys.`);
          return false;
        }
        await credentials.set(repo.location, { gcsServiceAccountJson: json });
      }
      provider.refresh();
      void vscode.window.showInformationMessage(`Credentials for ${where} are saved in VS Code's secret storage.`);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.forgetRepositoryCredentials, async (node?: RepositoryNode) => {
      const repo = await pickBucketRepo(node);
      if (!repo) return false;
      const had = await credentials.forget(repo.location);
      provider.refresh();
      void vscode.window.showInformationMessage(had
        ? `Forgot the credentials of ${displayLocation(repo.location)}; it now uses the default chain (environment, ~/.aws or Application Default Credentials).`
        : `${displayLocation(repo.location)} had no saved credentials.`);
      return had;
    }),
  ];
}

async function askS3Keys(where: string) {
  const accessKeyId = await vscode.window.showInputBox({ title: `Access key for ${where} (1/3)`, prompt: 'AWS access key ID', ignoreFocusOut: true, validateInput: (v) => (/^\S{3,128}$/.test(v.trim()) ? undefined : 'An access key ID has no spaces.') });
  if (!accessKeyId) return undefined;
  const secretAccessKey = await vscode.window.showInputBox({ title: `Access key for ${where} (2/3)`, prompt: 'Secret access key', password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'The secret access key is required.') });
  if (!secretAccessKey) return undefined;
  const sessionToken = await vscode.window.showInputBox({ title: `Access key for ${where} (3/3)`, prompt: 'Session token (leave empty for long-term keys)', password: true, ignoreFocusOut: true });
  if (sessionToken === undefined) return undefined;
  return { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(), ...(sessionToken.trim() ? { sessionToken: sessionToken.trim() } : {}) };
}

function safeParse(json: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(json);
    return typeof v === 'object' && v ? v : undefined;
  } catch {
    return undefined;
  }
}
