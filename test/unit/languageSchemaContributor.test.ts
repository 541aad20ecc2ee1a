// The schema contributor both YAML engines ask: per-file and per-document schema URIs, their content, the
// Red Hat YAML registration (against a fake of its registerContributor API), and yaml-language-server itself
// applying the per-document sequence (real language service, headless).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerWithRedHatYaml, SchemaContributor, SCHEMA_SCHEME } from '../../src/vscode/language/schemaContributor';
import { globToRegExp, isBuiltInPrometheusPath, PrometheusFileMatcher } from '../../src/vscode/language/prometheusFiles';
import { isPrometheusConfigPath } from '../../src/core/validation/prometheusValidation';

const repo = join(__dirname, '..', '..', '..');
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: two\n';
const CRD = 'apiVersion: example.com/v1\nkind: TfServingModel\nspec:\n  anything: 1\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: eighty\n';

function contributorWith(files: Record<string, string>, prometheus = new PrometheusFileMatcher()) {
  const reads: string[] = [];
  const c = new SchemaContributor({
    textOf: (r) => files[r],
    isPrometheus: (r) => prometheus.matches(new URL(r).pathname),
    readSchema: (rel) => { reads.push(rel); return readFileSync(join(repo, 'schemas', rel), 'utf8'); },
  });
  return { c, reads };
}

describe('Schema contributor (editor)', () => {
  it('maps prometheus.yml and the user globs to the Prometheus schema', () => {
    const m = new PrometheusFileMatcher();
    m.setUserGlobs(['**/monitoring/*.yml', 'scrape-*.yaml']);
    const { c } = contributorWith({}, m);
    const prom = `${SCHEMA_SCHEME}://schemas/prometheus.editor.schema.json`;
    assert.equal(c.requestSchema('file:///w/prometheus.yml'), prom);
    assert.equal(c.requestSchema('file:///w/deploy/prometheus/rules.yml'), prom);
    assert.equal(c.requestSchema('file:///w/a/monitoring/x.yml'), prom);
    assert.equal(c.requestSchema('file:///w/b/scrape-tf.yaml'), prom);
    assert.equal(c.requestSchema('file:///w/b/other.yaml'), undefined, 'not open, not Prometheus: none');
    assert.ok(JSON.parse(c.requestSchemaContent(prom)).properties.scrape_configs);
  });

  it('agrees with the core on the built-in Prometheus names', () => {
    for (const p of ['/w/prometheus.yml', '/w/Prometheus.YAML', '/w/prometheus/a.yml', '/w/prometheus/sub/a.yml', '/w/prometheus.yml.bak', '/w/my-prometheus.yml', 'prometheus.yaml']) {
      assert.equal(isBuiltInPrometheusPath(p), isPrometheusConfigPath(p), p);
    }
  });

  it('turns globs into anchored patterns', () => {
    assert.ok(globToRegExp('**/a/*.yml').test('/w/x/a/b.yml'));
    assert.ok(!globToRegExp('**/a/*.yml').test('/w/x/a/b/c.yml'));
    assert.ok(globToRegExp('*.{yml,yaml}').test('/deep/x.yaml'));
    assert.ok(!globToRegExp('p?.yml').test('/w/p12.yml'));
  });

  it('gives one schema per document, none for CRDs and files without known kinds', () => {
    const { c } = contributorWith({ 'file:///one.yaml': DEPLOYMENT, 'file:///multi.yaml': `${DEPLOYMENT}---\n${CRD}---\n${SERVICE}`, 'file:///crd.yaml': CRD, 'file:///ci.yaml': 'on: push\n' });
    assert.equal(c.requestSchema('file:///one.yaml'), `${SCHEMA_SCHEME}://schemas/kubernetes/deployment-apps-v1.json`);
    assert.equal(c.requestSchema('file:///multi.yaml'), `${SCHEMA_SCHEME}://schemas/kubernetes/documents/deployment-apps-v1~none~service-v1.json`);
    assert.equal(c.requestSchema('file:///crd.yaml'), undefined);
    assert.equal(c.requestSchema('file:///ci.yaml'), undefined);
    const seq = JSON.parse(c.requestSchemaContent(c.requestSchema('file:///multi.yaml')!));
    assert.equal(seq.schemaSequence.length, 3);
    assert.deepEqual(seq.schemaSequence[1], {});
    assert.match(seq.schemaSequence[0].title, /Deployment/);
    assert.match(seq.schemaSequence[2].title, /Service/);
    assert.ok(seq.definitions.V1ObjectMeta && seq.definitions.V1PodSpec && seq.definitions.V1ServicePort);
  });

  it('refuses schema URIs it did not hand out', () => {
    const { c } = contributorWith({});
    assert.throws(() => c.requestSchemaContent(`${SCHEMA_SCHEME}://schemas/kubernetes/../../package.json`));
    assert.throws(() => c.requestSchemaContent('https://example.invalid/x.json'));
  });

  it('registers with Red Hat YAML through registerContributor', () => {
    const { c } = contributorWith({ 'file:///one.yaml': DEPLOYMENT });
    const registered: { scheme: string; requestSchema: (r: string) => string | undefined; requestSchemaContent: (u: string) => string }[] = [];
    const fakeApi = {
      registerContributor(scheme: string, requestSchema: (r: string) => string | undefined, requestSchemaContent: (u: string) => string) {
        if (registered.some((r) => r.scheme === scheme)) return false;
        registered.push({ scheme, requestSchema, requestSchemaContent });
        return true;
      },
    };
    assert.equal(registerWithRedHatYaml(fakeApi, c), true);
    assert.equal(registerWithRedHatYaml(fakeApi, c), false, 'a scheme registers once');
    assert.equal(registerWithRedHatYaml({}, c), false, 'no API');
    assert.equal(registerWithRedHatYaml(undefined, c), false);
    const [r] = registered;
    assert.equal(r.scheme, SCHEMA_SCHEME);
    // Red Hat YAML routes content requests by the URI's scheme: the URIs we return must use ours.
    const uri = r.requestSchema('file:///one.yaml')!;
    assert.equal(new URL(uri).protocol, `${SCHEMA_SCHEME}:`);
    assert.match(JSON.parse(r.requestSchemaContent(uri)).title, /Deployment/);
    assert.equal(r.requestSchema('file:///unknown.yaml'), undefined);
  });

  it('parses a file once for the repeated per-document requests', () => {
    const { c, reads } = contributorWith({ 'file:///m.yaml': `${DEPLOYMENT}---\n${SERVICE}` });
    const first = c.requestSchema('file:///m.yaml');
    for (let i = 0; i < 5; i++) assert.equal(c.requestSchema('file:///m.yaml'), first);
    assert.deepEqual(reads, ['kubernetes/index.json']);
  });

  it('drives yaml-language-server: each document is checked against its own kind', async function () {
    this.timeout(30000);
    const text = `${DEPLOYMENT}---\n${CRD}---\n${SERVICE}`;
    const { c } = contributorWith({ 'file:///w/m.yaml': text });
    const ls = getLanguageService({ schemaRequestService: async (uri) => c.requestSchemaContent(uri), workspaceContext: { resolveRelativePath: (r) => r } });
    ls.configure({ validate: true, completion: true, hover: true, yamlVersion: '1.2' });
    ls.registerCustomSchemaProvider(async (resource) => c.requestSchema(resource) ?? []);
    const diags = await ls.doValidation(TextDocument.create('file:///w/m.yaml', 'yaml', 1, text), false);
    const lines = diags.map((d) => d.range.start.line).sort((a, b) => a - b);
    // The Deployment misses selector and template (line 4) and has replicas: two (line 5); the Service has
    // port: eighty (line 16); nothing in the CRD (lines 7-10).
    assert.deepEqual(lines, [4, 4, 5, 16], diags.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  });
});
