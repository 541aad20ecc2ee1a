// Which Python runs a local conversion: the tfServing.convert.pythonPath setting when set, else the interpreter the
// Python extension (ms-python.python) has selected for the workspace, else python3 from PATH.
import * as vscode from 'vscode';
import { readPythonPath } from '../settings';

export type InterpreterSource = 'setting' | 'python-extension' | 'default';

export interface PythonInterpreter {
  readonly python: string;
  readonly source: InterpreterSource;
}

/** The part of the Python extension's exported API used here (environments.getActiveEnvironmentPath). */
interface PythonExtensionApi {
  readonly environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { readonly id: string; readonly path: string } | undefined;
    resolveEnvironment?(env: { readonly id: string; readonly path: string } | string): Promise<{ readonly executable?: { readonly uri?: vscode.Uri } } | undefined>;
  };
}

export function pythonPathSetting(): string {
  return readPythonPath();
}

/** The interpreter the Python extension uses for the workspace, or undefined (not installed, API missing, failure). */
async function fromPythonExtension(resource?: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const envs = api?.environments;
    if (!envs || typeof envs.getActiveEnvironmentPath !== 'function') return undefined;
    const active = envs.getActiveEnvironmentPath(resource);
    if (!active?.path) return undefined;
    // The active path may name an environment folder; resolving gives the executable inside it.
    const resolved = typeof envs.resolveEnvironment === 'function' ? await envs.resolveEnvironment(active).catch(() => undefined) : undefined;
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

export async function findPythonInterpreter(resource?: vscode.Uri): Promise<PythonInterpreter> {
  const setting = pythonPathSetting();
  if (setting) return { python: setting, source: 'setting' };
  const fromExtension = await fromPythonExtension(resource ?? vscode.workspace.workspaceFolders?.[0]?.uri);
  if (fromExtension) return { python: fromExtension, source: 'python-extension' };
  return { python: 'python3', source: 'default' };
}

export function describeInterpreter(i: PythonInterpreter): string {
  switch (i.source) {
    case 'setting': return `${i.python} (setting tfServing.convert.pythonPath)`;
    case 'python-extension': return `${i.python} (selected in the Python extension)`;
    default: return `${i.python} from PATH (set tfServing.convert.pythonPath or select an interpreter in the Python extension)`;
  }
}
