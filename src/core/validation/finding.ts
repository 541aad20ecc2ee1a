// A diagnostic from any checker (schema, TF Serving-aware manifest checks, text-format configs), in editor
// coordinates: zero-based line and character, end exclusive. The editor and the CLI both render these.
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** A text edit that fixes the finding: replace `range` in the same file by `newText`. */
export interface FindingFix {
  title: string;
  range: Range;
  newText: string;
}

export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  message: string;
  /** Stable identifier, e.g. `schema`, `k8s.selector-mismatch`, `textproto.unknown-field`. */
  code: string;
  fix?: FindingFix;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
