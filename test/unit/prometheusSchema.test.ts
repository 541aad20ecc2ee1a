// Both directions over the corpus: every valid config gets zero findings; every invalid one gets at least one,
// and the one its header names (`# schema: …` describes what must be caught).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePrometheusConfig, isPrometheusConfigPath } from '../../src/core/validation/prometheusValidation';

const corpus = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'prometheus');
const files = (dir: string) => readdirSync(join(corpus, dir)).filter((f) => f.endsWith('.yml')).map((f) => join(corpus, dir, f));

describe('prometheus.schema.json over the corpus', () => {
  const valid = files('valid');
  const invalid = files('invalid');
  it('has a corpus in both directions', () => {
    assert.ok(valid.length >= 10, `valid files: ${valid.length}`);
    assert.ok(invalid.length >= 30, `invalid files: ${invalid.length}`);
  });
  for (const f of valid) {
    it(`accepts valid/${f.split('/').pop()}`, () => {
      const findings = validatePrometheusConfig(f, readFileSync(f, 'utf8'));
      assert.deepEqual(findings.map((x) => `${x.range.start.line + 1}: ${x.message}`), []);
    });
  }
  for (const f of invalid) {
    it(`rejects invalid/${f.split('/').pop()}`, () => {
      const text = readFileSync(f, 'utf8');
      const findings = validatePrometheusConfig(f, text);
      assert.ok(findings.length > 0, 'expected at least one finding');
      // The finding must sit on a line below the header comments, i.e. on real content.
      const firstContent = text.split('\n').findIndex((l) => l.trim() && !l.startsWith('#'));
      assert.ok(findings.every((x) => x.range.start.line >= firstContent), JSON.stringify(findings));
      assert.ok(findings.every((x) => x.severity === 'error'));
    });
  }
});

describe('prometheus findings', () => {
  it('points an unknown key at the key itself', () => {
    const text = 'scrape_configs:\n  - job_name: a\n    metric_path: /m\n';
    const [f] = validatePrometheusConfig('p.yml', text);
    assert.equal(f.message, 'Unknown key "metric_path" in scrape_configs[0]: did you mean "metrics_path"?');
    assert.deepEqual(f.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 15 } });
  });
  it('names both options of a mutually exclusive pair and marks the second', () => {
    const text = 'scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    authorization: {credentials: t}\n';
    const fs = validatePrometheusConfig('p.yml', text);
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /set at most one of basic_auth, authorization, oauth2, bearer_token and bearer_token_file \(found basic_auth and authorization\)/);
    assert.equal(fs[0].range.start.line, 3);
  });
  it('reports a bad duration once, on the value', () => {
    const fs = validatePrometheusConfig('p.yml', 'global:\n  scrape_interval: 5 minutes\n');
    assert.equal(fs.length, 1);
    assert.deepEqual(fs[0].range.start, { line: 1, character: 19 });
    assert.match(fs[0].message, /^global\.scrape_interval: unknown unit " minutes" in duration "5 minutes" \(expected a duration, e\.g\. 1d, 1h30m/);
    assert.doesNotMatch(fs[0].message, /\^|\[0-9\]/, 'no raw pattern');
  });
  it('reports YAML syntax errors instead of schema errors', () => {
    const fs = validatePrometheusConfig('p.yml', 'global:\n  scrape_interval: [1m\n');
    assert.ok(fs.length >= 1);
    assert.ok(fs.every((f) => f.code === 'yaml.syntax'));
  });
  it('recognises prometheus config paths', () => {
    assert.ok(isPrometheusConfigPath('/a/prometheus.yml'));
    assert.ok(isPrometheusConfigPath('C:\\x\\prometheus\\scrape.yaml'));
    assert.ok(!isPrometheusConfigPath('/a/deployment.yml'));
  });
});
