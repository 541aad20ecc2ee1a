// The engine the editor embeds (and Red Hat YAML's core): yaml-language-server, run headless with the editor's
// Prometheus schema. It must stay silent on every file, valid or not — the only diagnostics on a prometheus.yml
// are our validator's, in its words — and still complete keys and values and show the reference's descriptions.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';

const repo = join(__dirname, '..', '..', '..');
const corpus = join(repo, 'test', 'fixtures', 'prometheus');
const schemaUri = pathToFileURL(join(repo, 'schemas', 'prometheus.editor.schema.json')).toString();

function languageService() {
  const ls = getLanguageService({
    schemaRequestService: async (uri) => readFileSync(new URL(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (rel, res) => new URL(rel, res).toString() },
  });
  ls.configure({ validate: true, completion: true, hover: true, yamlVersion: '1.2', schemas: [{ uri: schemaUri, fileMatch: ['*.yml', '*.yaml'] }] });
  return ls;
}

describe('yaml-language-server with prometheus.editor.schema.json (integration)', function () {
  this.timeout(60000);
  const ls = languageService();
  const doc = (name: string, text: string) => TextDocument.create(`file:///workspace/${name}`, 'yaml', 1, text);
  const upstream = join(repo, 'test', 'fixtures', 'prometheus-corpus', 'testdata');
  const files = [
    ...['valid', 'invalid'].flatMap((dir) => readdirSync(join(corpus, dir)).filter((f) => f.endsWith('.yml')).map((f) => join(corpus, dir, f))),
    ...readdirSync(upstream).filter((f) => f.endsWith('.yml') && f !== 'section_key_dup.bad.yml').map((f) => join(upstream, f)),
  ];
  it(`reports nothing of its own on ${files.length} valid and invalid configurations`, async () => {
    const noisy: string[] = [];
    for (const f of files) {
      const diagnostics = await ls.doValidation(doc('p.yml', readFileSync(f, 'utf8')), false);
      for (const d of diagnostics) noisy.push(`${f.split('/').slice(-2).join('/')}:${d.range.start.line + 1}: ${d.message}`);
    }
    assert.deepEqual(noisy, []);
  });
  it('completes scrape_config keys from the schema', async () => {
    const list = await ls.doComplete(doc('c.yml', 'scrape_configs:\n  - job_name: a\n    \n'), { line: 2, character: 4 }, false);
    const labels = list.items.map((i) => i.label);
    for (const key of ['metrics_path', 'static_configs', 'kubernetes_sd_configs', 'relabel_configs', 'scrape_interval']) assert.ok(labels.includes(key), key);
    assert.ok(!labels.includes('job_name'), 'job_name is already set');
  });
  it('completes relabel actions and booleans', async () => {
    const list = await ls.doComplete(doc('a.yml', 'scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: \n'), { line: 3, character: 16 }, false);
    const labels = list.items.map((i) => i.label);
    for (const a of ['replace', 'keep', 'drop', 'labelmap', 'hashmod']) assert.ok(labels.includes(a), `${a} in ${labels.join(',')}`);
    const bools = await ls.doComplete(doc('b.yml', 'scrape_configs:\n  - job_name: a\n    honor_labels: \n'), { line: 2, character: 18 }, false);
    assert.deepEqual(bools.items.map((i) => i.label).sort(), ['false', 'true']);
  });
  it('shows the reference description on hover, and no list of values for a duration', async () => {
    const hover = await ls.doHover(doc('h.yml', 'global:\n  scrape_interval: 15s\n'), { line: 1, character: 5 });
    const text = JSON.stringify(hover?.contents);
    assert.match(text, /How frequently to scrape targets by default/);
    assert.doesNotMatch(text, /Allowed Values|\^\(|\[0-9\]|\|\|/);
    const value = JSON.stringify((await ls.doHover(doc('h.yml', 'global:\n  scrape_interval: 15s\n'), { line: 1, character: 20 }))?.contents);
    assert.doesNotMatch(value, /Allowed Values/);
  });
  it('lists the allowed values of a real enumeration on hover', async () => {
    const hover = await ls.doHover(doc('e.yml', 'scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: keep\n'), { line: 3, character: 18 });
    const text = JSON.stringify(hover?.contents);
    assert.match(text, /labelmap/);
    assert.doesNotMatch(text, /\|\||Prometheus configuration/, 'the description once, without the schema title');
  });
});
