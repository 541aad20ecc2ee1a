// TF Serving's rules for what a version folder is and whether it can be loaded.

/** TF Serving reads a folder as a version only when its whole name is an integer; leading zeros are allowed. */
export function parseVersionFolder(name: string): number | undefined {
  if (!/^\d+$/.test(name)) return undefined;
  const n = Number(name);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Why the server skips a non-numeric folder, for tooltips and CLI output. */
export function ignoredFolderReason(name: string): string {
  if (/^v\d+$/i.test(name)) return `"${name}" is not a version: TF Serving only loads folders named by an integer (rename it to "${name.slice(1)}").`;
  if (/^\d+\.\d+/.test(name)) return `"${name}" is not a version: TF Serving needs an integer folder name, not a dotted number.`;
  if (name.startsWith('.')) return `"${name}" is hidden; TF Serving ignores folders that are not integers.`;
  return `"${name}" is not an integer, so TF Serving ignores it.`;
}

export type VersionFormat = 'savedmodel' | 'tflite';

export interface VersionValidity {
  readonly valid: boolean;
  readonly format?: VersionFormat;
  /** What the folder lacks to be loadable, in words a user can act on. */
  readonly missing: string[];
}

/**
 * Decides from a version's relative file paths ('/'-separated) whether TF Serving can load it: a SavedModel needs
 * saved_model.pb or saved_model.pbtxt (TensorFlow skips the variable restore when variables/ holds no index, so a
 * graph of constants serves without it); a TFLite model needs model.tflite. Whether the graph needs variables is
 * the inspector's call (variablesWarning), since only the graph can tell.
 */
export function checkVersionFiles(relativePaths: readonly string[]): VersionValidity {
  const files = new Set(relativePaths.map((p) => p.replace(/^\/+/, '')));
  if (files.has('model.tflite')) return { valid: true, format: 'tflite', missing: [] };
  if (files.has('saved_model.pb') || files.has('saved_model.pbtxt')) return { valid: true, format: 'savedmodel', missing: [] };
  if ([...files].some((p) => p === 'variables' || p.startsWith('variables/'))) return { valid: false, format: 'savedmodel', missing: ['saved_model.pb'] };
  return { valid: false, missing: ['saved_model.pb (or saved_model.pbtxt), or model.tflite'] };
}

/** TensorFlow restores variables only when this file exists; without it the restore is skipped. */
export const VARIABLES_INDEX = 'variables/variables.index';
