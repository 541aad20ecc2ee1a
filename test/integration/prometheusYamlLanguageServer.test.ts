// The engine the editor embeds: yaml-language-server, run headless on the prometheus corpus with our schema.
// It must agree with ajv: zero diagnostics on every valid file, at least one on every invalid file; and it must
// complete keys and show descriptions from the schema.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';

const repo = join(__dirname, '..', '..', '..');
const corpus = join(repo, 'test', 'fixtures', 'prometheus');
const schemaUri = pathToFileURL(join(repo, 'schemas', 'prometheus.schema.json')).toString();

function languageService() {
  const ls = getLanguageService({
    schemaRequestService: async (uri) => readFileSync(new URL(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (rel, res) => new URL(rel, res).toString() },
  });
  ls.configure({ validate: true, completion: true, hover: true, yamlVersion: '1.2', schemas: [{ uri: schemaUri, fileMatch: ['*.yml', '*.yaml'] }] });
  return ls;
}

describe('yaml-language-server with prometheus.schema.json (integration)', function () {
  this.timeout(60000);
  const ls = languageService();
  const doc = (name: string, text: string) => TextDocument.create(`file:///workspace/${name}`, 'yaml', 1, text);
  for (const dir of ['valid', 'invalid'] as const) {
    for (const name of readdirSync(join(corpus, dir)).filter((f) => f.endsWith('.yml'))) {
      it(`${dir === 'valid' ? 'accepts' : 'rejects'} ${dir}/${name}`, async () => {
        const diagnostics = await ls.doValidation(doc(name, readFileSync(join(corpus, dir, name), 'utf8')), false);
        if (dir === 'valid') assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
        // `# check:` files break rules beyond any schema (our own checks catch them); the schema engine cannot.
        else if (/^# check:/m.test(readFileSync(join(corpus, dir, name), 'utf8'))) assert.deepEqual(diagnostics, []);
        else assert.ok(diagnostics.length >= 1, 'expected a diagnostic');
      });
    }
  }
  it('completes scrape_config keys from the schema', async () => {
    const list = await ls.doComplete(doc('c.yml', 'scrape_configs:\n  - job_name: a\n    \n'), { line: 2, character: 4 }, false);
    const labels = list.items.map((i) => i.label);
    for (const key of ['metrics_path', 'static_configs', 'kubernetes_sd_configs', 'relabel_configs', 'scrape_interval']) assert.ok(labels.includes(key), key);
    assert.ok(!labels.includes('job_name'), 'job_name is already set');
  });
  it('completes relabel actions', async () => {
    const list = await ls.doComplete(doc('a.yml', 'scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: \n'), { line: 3, character: 16 }, false);
    const labels = list.items.map((i) => i.label);
    for (const a of ['replace', 'keep', 'drop', 'labelmap', 'hashmod']) assert.ok(labels.includes(a), `${a} in ${labels.join(',')}`);
  });
  it('shows the reference description and default on hover', async () => {
    const hover = await ls.doHover(doc('h.yml', 'global:\n  scrape_interval: 15s\n'), { line: 1, character: 5 });
    const text = JSON.stringify(hover?.contents);
    assert.match(text, /How frequently to scrape targets by default/);
  });
});
