// Core findings → VS Code diagnostics. The quick fix a finding carries is kept beside its diagnostic, keyed by
// code and range, because the diagnostics a CodeActionProvider receives are copies.
import * as vscode from 'vscode';
import type { Finding, FindingFix, Range } from '../../core/validation/finding';

export const DIAGNOSTIC_SOURCE = 'TF Serving';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const severity = f.severity === 'error' ? vscode.DiagnosticSeverity.Error : f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(toRange(f.range), f.message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.code;
  return d;
}

export function fixKey(code: string | number | { value: string | number } | undefined, range: vscode.Range): string {
  const c = typeof code === 'object' ? code.value : code;
  return `${c}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Fixes of the findings currently shown, per document URI. */
export class FixStore {
  private readonly byDoc = new Map<string, Map<string, FindingFix>>();

  set(uri: vscode.Uri, findings: readonly Finding[]): void {
    const fixes = new Map<string, FindingFix>();
    for (const f of findings) if (f.fix) fixes.set(fixKey(f.code, toRange(f.range)), f.fix);
    if (fixes.size) this.byDoc.set(uri.toString(), fixes);
    else this.byDoc.delete(uri.toString());
  }

  get(uri: vscode.Uri, d: vscode.Diagnostic): FindingFix | undefined {
    return this.byDoc.get(uri.toString())?.get(fixKey(d.code, d.range));
  }

  delete(uri: vscode.Uri): void {
    this.byDoc.delete(uri.toString());
  }
}

export class FindingQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  constructor(private readonly fixes: FixStore) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const fix = this.fixes.get(document.uri, d);
      if (!fix) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, toRange(fix.range), fix.newText);
      action.diagnostics = [d];
      action.isPreferred = true;
      out.push(action);
    }
    return out;
  }
}
