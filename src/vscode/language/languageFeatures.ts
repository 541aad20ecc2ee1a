// Editor support for prometheus.yml, Kubernetes manifests and TF Serving text-format configs: one YAML engine for
// schemas (Red Hat YAML or our embedded server, see yamlEngine.ts), plus the 'tfserving' diagnostics no schema can
// express, their quick fixes, and completion/hover for tfserving-config. Activation only registers listeners;
// the parsers, validators, schemas and the language client load when a file of ours is first opened.
import * as vscode from 'vscode';
import { FindingQuickFixes, FixStore, toDiagnostic } from './findingConversion';
import { PrometheusFileMatcher } from './prometheusFiles';
import { registerTextProtoFeatures, TEXTPROTO_LANGUAGE } from './textProtoFeatures';
import { RED_HAT_YAML, YamlEngine } from './yamlEngine';
import type { CheckedKind } from './tfServingChecks';
import { loadLanguageServices } from './loadLanguageServices';
import { SETTINGS } from '../contributions';
import { readPrometheusFileGlobs } from '../settings';

export const PROMETHEUS_FILES_SETTING = SETTINGS.prometheusFiles;
const DEBOUNCE_MS = 300;

export interface LanguageFeatures {
  readonly engine: YamlEngine;
  /** Resolves when every pending check has run (for tests). */
  settled(): Promise<void>;
}

export function registerLanguageFeatures(context: vscode.ExtensionContext): LanguageFeatures {
  const output = vscode.window.createOutputChannel('TF Serving Languages');
  const diagnostics = vscode.languages.createDiagnosticCollection('tfserving');
  const fixes = new FixStore();
  const prometheus = new PrometheusFileMatcher();
  const readGlobs = () => prometheus.setUserGlobs(readPrometheusFileGlobs());
  readGlobs();
  const engine = new YamlEngine(context.extensionPath, prometheus, output);
  const secrets = new SecretIndex();
  const timers = new Map<string, NodeJS.Timeout>();
  let running: Promise<void> = Promise.resolve();

  const kindOf = (doc: vscode.TextDocument): CheckedKind | undefined => {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return undefined;
    if (doc.languageId === TEXTPROTO_LANGUAGE) return 'textproto';
    if (doc.languageId !== 'yaml') return undefined;
    if (prometheus.matches(doc.uri.path)) return 'prometheus';
    return /^kind:/m.test(doc.getText()) ? 'kubernetes' : undefined;
  };

  const check = async (doc: vscode.TextDocument) => {
    const kind = kindOf(doc);
    if (!kind) {
      diagnostics.delete(doc.uri);
      fixes.delete(doc.uri);
      return;
    }
    if (kind !== 'textproto') void engine.ensure();
    const checks = loadLanguageServices();
    if (doc.isClosed) return;
    const known = kind === 'kubernetes' ? await secrets.names(checks.secretNamesIn) : new Set<string>();
    const options = { engineReportsSyntax: vscode.extensions.getExtension(RED_HAT_YAML) !== undefined, onDisk: doc.uri.scheme === 'file' };
    const findings = checks.checkDocument(kind, doc.fileName, doc.getText(), known, options);
    diagnostics.set(doc.uri, findings.map(toDiagnostic));
    fixes.set(doc.uri, findings);
  };
  const run = (doc: vscode.TextDocument) => {
    running = running.then(() => check(doc)).catch((e) => output.appendLine(`check ${doc.uri.toString()}: ${e instanceof Error ? e.stack : e}`));
    return running;
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); void run(doc); }, DEBOUNCE_MS));
  };
  const recheckAll = () => vscode.workspace.textDocuments.forEach((d) => void run(d));
  secrets.onDidChange = recheckAll;

  context.subscriptions.push(
    output,
    diagnostics,
    engine,
    secrets,
    ...registerTextProtoFeatures(),
    vscode.languages.registerCodeActionsProvider([{ language: 'yaml' }, { language: TEXTPROTO_LANGUAGE }], new FindingQuickFixes(fixes), { providedCodeActionKinds: FindingQuickFixes.kinds }),
    vscode.workspace.onDidOpenTextDocument((d) => void run(d)),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) schedule(e.document); }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      timers.delete(d.uri.toString());
      diagnostics.delete(d.uri);
      fixes.delete(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(PROMETHEUS_FILES_SETTING)) return;
      readGlobs();
      void engine.schemasChanged();
      recheckAll();
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  recheckAll();
  return {
    engine,
    settled: async () => {
      while (timers.size) await new Promise((r) => setTimeout(r, DEBOUNCE_MS));
      await running;
    },
  };
}

/** Secret names defined by the workspace's YAML files (open documents win over their saved text), so the
 * manifest checks can tell a missing Secret from one defined in another file. Scanned on first need. */
class SecretIndex implements vscode.Disposable {
  onDidChange?: () => void;
  private byFile?: Map<string, string[]>;
  private scanning?: Promise<void>;
  private watcher?: vscode.FileSystemWatcher;
  private parse?: (text: string) => string[];

  async names(parse: (text: string) => string[]): Promise<Set<string>> {
    this.parse = parse;
    if (!this.scanning) this.scanning = this.scan();
    await this.scanning;
    const out = new Set<string>();
    for (const list of this.byFile!.values()) list.forEach((n) => out.add(n));
    for (const d of vscode.workspace.textDocuments) if (d.languageId === 'yaml') parse(d.getText()).forEach((n) => out.add(n));
    return out;
  }

  private async scan(): Promise<void> {
    this.byFile = new Map();
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    const reread = async (uri: vscode.Uri) => {
      const before = JSON.stringify(this.byFile!.get(uri.toString()) ?? []);
      await this.read(uri);
      if (JSON.stringify(this.byFile!.get(uri.toString()) ?? []) !== before) this.onDidChange?.();
    };
    this.watcher.onDidCreate(reread);
    this.watcher.onDidChange(reread);
    this.watcher.onDidDelete((uri) => { if (this.byFile!.delete(uri.toString())) this.onDidChange?.(); });
    const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', 2000);
    await Promise.all(files.map((f) => this.read(f)));
  }

  private async read(uri: vscode.Uri): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length > 2_000_000) return;
      const names = this.parse!(Buffer.from(bytes).toString('utf8'));
      if (names.length) this.byFile!.set(uri.toString(), names);
      else this.byFile!.delete(uri.toString());
    } catch {
      this.byFile!.delete(uri.toString());
    }
  }

  dispose(): void {
    this.watcher?.dispose();
  }
}
