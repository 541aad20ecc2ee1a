// Reads and writes tfServing.* settings. Secrets never pass through here.
import * as vscode from 'vscode';
import { parseLocation, sameLocation, type ModelLocation } from '../core/location';
import type { RepositoryOptions } from '../core/storage/storeRegistry';
import { SETTINGS, type SettingKey } from './contributions';

export const SECTION = 'tfServing';
export const REPOSITORIES = 'modelRepositories';

/** One setting's value, by its full key ("tfServing.models.pageSize"); the default comes from package.json. */
function read<T>(key: SettingKey): T | undefined {
  return vscode.workspace.getConfiguration().get<T>(key);
}

/** Folders per listing request at one level of the Models view (S3 and GCS return at most 1000). */
export function readPageSize(): number {
  const n = read<number>(SETTINGS.pageSize);
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, 1000) : 1000;
}

/** Whether a version shows its files beside its signatures. */
export function readShowFiles(): boolean {
  return read<boolean>(SETTINGS.showFiles) !== false;
}

/** The Docker engine setting, trimmed; empty means DOCKER_HOST, the docker context, then the default socket. */
export function readDockerHost(): string {
  return (read<string>(SETTINGS.dockerHost) ?? '').trim();
}

/** The Python for local conversions, trimmed; empty means the Python extension's interpreter, else python3. */
export function readPythonPath(): string {
  return (read<string>(SETTINGS.pythonPath) ?? '').trim();
}

/** The image a Docker conversion runs in, trimmed; empty means the built-in default. */
export function readConversionImage(target: 'tflite' | 'tensorrt'): string {
  return (read<string>(target === 'tflite' ? SETTINGS.tensorflowImage : SETTINGS.tensorrtImage) ?? '').trim();
}

/** Extra globs of files checked as Prometheus configs. */
export function readPrometheusFileGlobs(): string[] {
  const globs = read<unknown>(SETTINGS.prometheusFiles);
  return Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : [];
}

/** Whether listing a model finishes or rolls back dead publishes by itself (off: the user picks Resume or Roll Back). */
export function readRepairInterruptedPublishes(): boolean {
  return read<boolean>(SETTINGS.repairInterruptedPublishes) !== false;
}

/** What Compare Outputs… and the check after a conversion flag, and how many seeded inputs they run. */
export function readConversionValidation(): { samples: number; maxAbsDiff: number; minTop1Percent: number } {
  const num = (key: SettingKey, fallback: number) => { const v = read<number>(key); return typeof v === 'number' && Number.isFinite(v) ? v : fallback; };
  return { samples: num(SETTINGS.validationSamples, 32), maxAbsDiff: num(SETTINGS.validationMaxAbsDiff, 0.01), minTop1Percent: num(SETTINGS.validationMinTop1Percent, 99) };
}

/** Every contributed setting with the function that reads it (the contributions test checks the sets match). */
export const SETTING_READERS: Readonly<Record<SettingKey, () => unknown>> = {
  [SETTINGS.modelRepositories]: () => readRepositories(),
  [SETTINGS.showFiles]: readShowFiles,
  [SETTINGS.pageSize]: readPageSize,
  [SETTINGS.dockerHost]: readDockerHost,
  [SETTINGS.pythonPath]: readPythonPath,
  [SETTINGS.tensorflowImage]: () => readConversionImage('tflite'),
  [SETTINGS.tensorrtImage]: () => readConversionImage('tensorrt'),
  [SETTINGS.prometheusFiles]: readPrometheusFileGlobs,
  [SETTINGS.repairInterruptedPublishes]: readRepairInterruptedPublishes,
  [SETTINGS.validationMaxAbsDiff]: () => readConversionValidation().maxAbsDiff,
  [SETTINGS.validationMinTop1Percent]: () => readConversionValidation().minTop1Percent,
  [SETTINGS.validationSamples]: () => readConversionValidation().samples,
};

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
  const raw = read<unknown[]>(SETTINGS.modelRepositories) ?? [];
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
