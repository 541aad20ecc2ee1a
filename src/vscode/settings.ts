// Reads and writes tfServing.* settings. Secrets never pass through here.
import * as vscode from 'vscode';
import { parseLocation, sameLocation, type ModelLocation } from '../core/location';

export const SECTION = 'tfServing';
export const REPOSITORIES = 'modelRepositories';

export interface RepositoryEntry {
  readonly entry: string;
  readonly location?: ModelLocation;
  readonly error?: string;
}

function baseDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function readRepositories(): RepositoryEntry[] {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown[]>(REPOSITORIES, []);
  return (Array.isArray(raw) ? raw : []).filter((e): e is string => typeof e === 'string').map((entry) => {
    try {
      return { entry, location: parseLocation(entry, baseDir()) };
    } catch (e) {
      return { entry, error: (e as Error).message };
    }
  });
}

/** Writes to the workspace when one is open (repositories are usually per project), else to user settings. */
function target(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export async function addRepository(entry: string): Promise<boolean> {
  const location = parseLocation(entry, baseDir());
  const current = readRepositories();
  if (current.some((r) => r.location && sameLocation(r.location, location))) return false;
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const inspected = cfg.inspect<string[]>(REPOSITORIES);
  const t = target();
  const existing = (t === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await cfg.update(REPOSITORIES, [...existing, entry], t);
  return true;
}

export async function removeRepository(entry: string): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const inspected = cfg.inspect<string[]>(REPOSITORIES);
  // Remove it wherever it is defined, so it really leaves the view.
  for (const [value, t] of [
    [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ] as const) {
    if (Array.isArray(value) && value.includes(entry)) await cfg.update(REPOSITORIES, value.filter((e) => e !== entry), t);
  }
}
