// Reads and writes tfServing.* settings. Secrets never pass through here.
import * as vscode from 'vscode';
import { parseLocation, sameLocation, type ModelLocation } from '../core/location';
import type { RepositoryOptions } from '../core/storage/storeRegistry';

export const SECTION = 'tfServing';
export const REPOSITORIES = 'modelRepositories';

/** A setting entry: a plain location string, or an object with connection options. */
export type RepositorySetting = string | ({ uri: string; label?: string } & Omit<RepositoryOptions, 'credentials'>);

export interface RepositoryEntry {
  /** The entry's location text, which also identifies it for Remove and for its secrets. */
  readonly entry: string;
  readonly label?: string;
  readonly options: Omit<RepositoryOptions, 'credentials'>;
  readonly location?: ModelLocation;
  readonly error?: string;
}

function baseDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function readRepositories(): RepositoryEntry[] {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown[]>(REPOSITORIES, []);
  return (Array.isArray(raw) ? raw : []).flatMap((item): RepositoryEntry[] => {
    const setting = item as RepositorySetting;
    if (typeof setting !== 'string' && (typeof setting !== 'object' || setting === null || typeof setting.uri !== 'string')) {
      return [{ entry: JSON.stringify(item), options: {}, error: 'each entry must be a location string or an object with a "uri"' }];
    }
    const entry = typeof setting === 'string' ? setting : setting.uri;
    const { uri: _uri, label, ...options } = typeof setting === 'string' ? { uri: setting, label: undefined } : setting;
    try {
      return [{ entry, label, options, location: parseLocation(entry, baseDir()) }];
    } catch (e) {
      return [{ entry, label, options, error: (e as Error).message }];
    }
  });
}

/** Writes to the workspace when one is open (repositories are usually per project), else to user settings. */
function target(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export async function addRepository(setting: RepositorySetting): Promise<boolean> {
  const entry = typeof setting === 'string' ? setting : setting.uri;
  const location = parseLocation(entry, baseDir());
  const current = readRepositories();
  if (current.some((r) => r.location && sameLocation(r.location, location))) return false;
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const inspected = cfg.inspect<RepositorySetting[]>(REPOSITORIES);
  const t = target();
  const existing = (t === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await cfg.update(REPOSITORIES, [...existing, setting], t);
  return true;
}

export async function removeRepository(entry: string): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const inspected = cfg.inspect<RepositorySetting[]>(REPOSITORIES);
  const matches = (s: RepositorySetting) => (typeof s === 'string' ? s : s?.uri) === entry;
  // Remove it wherever it is defined, so it really leaves the view.
  for (const [value, t] of [
    [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ] as const) {
    if (Array.isArray(value) && value.some(matches)) await cfg.update(REPOSITORIES, value.filter((e) => !matches(e)), t);
  }
}
