// Language features in a real extension host without Red Hat YAML (so our embedded yaml-language-server runs):
// schema diagnostics, TF Serving checks, text-format diagnostics, completion, hover and the quick fix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, eventually } from './helpers';
import { validatePrometheusConfig } from '../../src/core/validation/prometheusValidation';

const repo = path.resolve(__dirname, '../../..');
const fixture = (p: string) => fs.readFileSync(path.join(repo, 'test', 'fixtures', p), 'utf8');

const PROMETHEUS = [
  'global:',
  '  scrape_interval: 15s',
  'scrape_configs:',
  '  - job_name: tfserving',
  '    metrics_path: /monitoring/prometheus/metrics',
  '    relabel_configs:',
  '      - action: rename',
  '        source_labels: [a]',
  '',
].join('\n');
const DUPLICATE_JOBS = 'scrape_configs:\n  - job_name: a\n    static_configs: [{ targets: ["x:1"] }]\n  - job_name: a\n    static_configs: [{ targets: ["y:1"] }]\n';
// The broken Deployment (selector vs labels, removed flag, …), a CRD, then a Service with a schema error.
const MANIFESTS = `${fixture('k8s/tfserving-broken.yaml').trimEnd()}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector:\n    app: tf-serving\n  ports:\n    - port: eighty\n`;

function workspaceFile(rel: string, text: string): vscode.Uri {
  const root = process.env.TFS_TEST_WORKSPACE;
  if (!root) throw new Error('TFS_TEST_WORKSPACE is not set');
  const file = path.join(root, 'language', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

const show = (ds: readonly vscode.Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${vscode.DiagnosticSeverity[d.severity]} [${d.source}/${typeof d.code === 'object' ? d.code.value : d.code}] ${d.message}`).join('\n');

/** Waits until the diagnostics of `uri` satisfy every predicate, then checks that none appears twice. */
async function diagnosticsOf(uri: vscode.Uri, ...wanted: ((d: vscode.Diagnostic) => boolean)[]): Promise<vscode.Diagnostic[]> {
  const ds = await eventually(async () => {
    const now = vscode.languages.getDiagnostics(uri);
    return wanted.every((w) => now.some(w)) ? now : undefined;
  }, 45000, `diagnostics of ${path.basename(uri.fsPath)} (have:\n${show(vscode.languages.getDiagnostics(uri))})`);
  // Let a second engine (if there were one) catch up before counting.
  await new Promise((r) => setTimeout(r, 1500));
  const final = vscode.languages.getDiagnostics(uri);
  const seen = new Map<string, number>();
  for (const d of final) {
    const key = `${d.range.start.line}:${d.range.start.character}:${d.message}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  assert.deepStrictEqual([...seen].filter(([, n]) => n > 1), [], `duplicate diagnostics:\n${show(final)}`);
  for (const w of wanted) assert.strictEqual(final.filter(w).length, 1, `expected exactly one match in:\n${show(final)}`);
  return final;
}

const at = (line: number, character?: number) => (d: vscode.Diagnostic) => d.range.start.line === line && (character === undefined || d.range.start.character === character);
const severity = (s: vscode.DiagnosticSeverity) => (d: vscode.Diagnostic) => d.severity === s;
const code = (c: string) => (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code) === c;
const all = (...ps: ((d: vscode.Diagnostic) => boolean)[]) => (d: vscode.Diagnostic) => ps.every((p) => p(d));

describe('Language features (embedded YAML server, no Red Hat YAML)', function () {
  this.timeout(120000);
  let prometheusUri: vscode.Uri;

  before(async () => {
    const api = await activateExtension();
    assert.strictEqual(vscode.extensions.getExtension('redhat.vscode-yaml'), undefined, 'this suite tests the path without Red Hat YAML');
    prometheusUri = workspaceFile('prometheus.yml', PROMETHEUS);
    await open(prometheusUri);
    await eventually(async () => (api.languages.engine.mode === 'embedded' ? true : undefined), 30000, 'the embedded YAML server');
  });

  it('reports the schema error of a broken prometheus.yml once, on the bad value', async () => {
    const ds = await diagnosticsOf(prometheusUri, all(at(6, 16), severity(vscode.DiagnosticSeverity.Error)));
    const bad = ds.find(at(6, 16))!;
    assert.strictEqual(bad.range.end.line, 6);
    assert.strictEqual(bad.range.end.character, 22, show(ds));
    assert.match(bad.message, /replace|keep|labelmap/, show(ds));
    assert.strictEqual(ds.length, 1, show(ds));
  });

  it('runs the Prometheus checks beyond the schema (duplicate job names)', async () => {
    const uri = workspaceFile('prometheus/jobs.yml', DUPLICATE_JOBS);
    await open(uri);
    const ds = await diagnosticsOf(uri, all(at(3, 14), code('prometheus.duplicate-job'), severity(vscode.DiagnosticSeverity.Error)));
    assert.strictEqual(ds.length, 1, show(ds));
    assert.match(ds[0].message, /job_name "a"/);
    assert.strictEqual(ds[0].source, 'TF Serving');
  });

  it('shows exactly the findings and words of `tfserving-studio validate` on a prometheus.yml, with its quick fix', async () => {
    const text = 'global:\n  scrape_interval: 15 seconds\nscrape_configs:\n  - job_name: a\n    metric_path: /m\n    relabel_configs:\n      - action: hashmod\n        regex: a(?=b)\n';
    const uri = workspaceFile('prometheus/words.yml', text);
    const doc = await open(uri);
    const expected = validatePrometheusConfig(uri.fsPath, text);
    assert.ok(expected.length >= 4, JSON.stringify(expected));
    const ds = await diagnosticsOf(uri, ...expected.map((f) => all(at(f.range.start.line, f.range.start.character), (d: vscode.Diagnostic) => d.message === f.message)));
    assert.deepStrictEqual(ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`), expected.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message}`), show(ds));
    assert.ok(ds.every((d) => d.source === 'TF Serving'), show(ds));
    assert.ok(!ds.some((d) => /pattern|Allowed|Incorrect type|not accepted/.test(d.message)), show(ds));
    const typo = ds.find((d) => /did you mean "metrics_path"/.test(d.message))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, typo.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Rename to "metrics_path"');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(4).text, '    metrics_path: /m');
  });

  it('runs Check with promtool beside our verdict', async () => {
    const uri = workspaceFile('prometheus/promtool.yml', 'global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n');
    await open(uri);
    const report = await vscode.commands.executeCommand<string>('tfServing.checkWithPromtool', uri);
    assert.match(report, /promtool \(version .*\): refused/);
    assert.match(report, /TF Serving Studio \(Prometheus 3 rules\): refused, 1 error/);
    assert.match(report, /Both agree/);
  });

  it('reports TF Serving checks and per-kind schema errors on a multi-document manifest, none on the CRD', async () => {
    const uri = workspaceFile('k8s/serving.yaml', MANIFESTS);
    await open(uri);
    const ds = await diagnosticsOf(uri,
      all(at(7, 11), code('k8s.selector-mismatch'), severity(vscode.DiagnosticSeverity.Error)),
      all(code('k8s.removed-flag'), severity(vscode.DiagnosticSeverity.Error)),
      all(code('k8s.secret-not-found'), severity(vscode.DiagnosticSeverity.Warning)),
      // The Service's port is an integer: a schema error from the YAML server, on the value.
      all(at(51, 12), severity(vscode.DiagnosticSeverity.Error), (d) => d.source !== 'TF Serving'),
    );
    const selector = ds.find(code('k8s.selector-mismatch'))!;
    assert.strictEqual(selector.range.end.character, 20);
    assert.match(selector.message, /app=tfserving.*app=tf-serving/);
    // The CRD (lines 36-41) has no schema of ours: nothing there.
    assert.deepStrictEqual(ds.filter((d) => d.range.start.line >= 36 && d.range.start.line <= 41), [], show(ds));
  });

  it('offers the --prefer_tflite_model quick fix, which edits the flag', async () => {
    const uri = workspaceFile('k8s/tflite.yaml', MANIFESTS);
    const doc = await open(uri);
    const [flag] = (await diagnosticsOf(uri, code('k8s.removed-flag'))).filter(code('k8s.removed-flag'));
    assert.strictEqual(doc.getText(flag.range), '--use_tflite_model');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, flag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Replace with --prefer_tflite_model');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(flag.range.start.line).text, /"--prefer_tflite_model=true"/);
    await eventually(async () => (vscode.languages.getDiagnostics(uri).some(code('k8s.removed-flag')) ? undefined : true), 15000, 'the removed-flag diagnostic to go');
  });

  it('reports the typo in a models.config once, with the suggestion', async () => {
    const uri = workspaceFile('models.config', fixture('textproto/invalid/unknown-field.config'));
    const doc = await open(uri);
    assert.strictEqual(doc.languageId, 'tfserving-config');
    const ds = await diagnosticsOf(uri, all(at(4, 4), code('textproto.unknown-field'), severity(vscode.DiagnosticSeverity.Error)));
    assert.strictEqual(ds.length, 1, show(ds));
    assert.strictEqual(ds[0].range.end.character, 12);
    assert.match(ds[0].message, /Unknown field "basepath".*Did you mean "base_path"/);
  });

  it('completes Prometheus keys from the schema', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', prometheusUri, new vscode.Position(8, 0));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const key of ['rule_files', 'alerting', 'remote_write', 'storage']) assert.ok(labels.includes(key), `${key} not in ${labels.join(', ')}`);
    assert.ok(!labels.includes('global'), 'keys already present are not offered again');
  });

  it('completes enum values of relabel actions', async () => {
    const doc = await vscode.workspace.openTextDocument(prometheusUri);
    const line = doc.lineAt(6).text;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', prometheusUri, new vscode.Position(6, line.indexOf('rename')));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['replace', 'keep', 'drop', 'labelmap']) assert.ok(labels.includes(v), `${v} not in ${labels.join(', ')}`);
  });

  it('shows the schema description on hover', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', prometheusUri, new vscode.Position(1, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /How frequently to scrape targets by default/);
    // A duration is not an enumeration: no "Allowed Values: 0" (the schema's old integer branch) on key or value.
    const onValue = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', prometheusUri, new vscode.Position(1, 20));
    const all = [...hovers, ...onValue].flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.doesNotMatch(all, /Allowed Values|\^\(\(/, all);
  });

  it('completes and describes TF Serving config fields', async () => {
    const uri = workspaceFile('model_config_b.config', 'model_config_list {\n  config {\n    name: "b"\n    \n    model_type: \n  }\n}\n');
    const doc = await open(uri);
    assert.strictEqual(doc.languageId, 'tfserving-config');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(3, 4));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const f of ['base_path', 'model_platform', 'model_version_policy']) assert.ok(labels.includes(f), `${f} not in ${labels.join(', ')}`);
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(4, 16));
    assert.ok(values.items.some((i) => i.label === 'TENSORFLOW'), 'enum values after model_type:');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /used in request URLs/);
  });

  it('leaves other YAML files alone', async () => {
    const uri = workspaceFile('other/compose.yaml', 'services:\n  a: [unclosed\n');
    await open(uri);
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(uri).map((d) => d.message), []);
  });
});
