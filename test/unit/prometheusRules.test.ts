// Prometheus' rules beyond the corpus: what Prometheus accepts must stay accepted (timeouts inherited from global,
// case-insensitive relabel actions, YAML 1.1 values), and each finding names the problem in plain words, with a
// quick fix where a name is misspelt and a warning for files that do not exist.
import * as assert from 'node:assert/strict';
import { validatePrometheusConfig, type ConfigFileHost } from '../../src/core/validation/prometheusValidation';
import { segmentPattern } from '../../src/core/validation/prometheus/configFileHost';

const check = (text: string, host?: ConfigFileHost) => validatePrometheusConfig('/etc/prometheus/prometheus.yml', text, { host });
const lines = (text: string, host?: ConfigFileHost) => check(text, host).map((f) => `${f.range.start.line + 1} ${f.severity} ${f.message}`);

function memoryHost(files: Record<string, string>): ConfigFileHost {
  return {
    dirname: (p) => p.replace(/\/[^/]*$/, ''),
    resolve: (dir, p) => (p.startsWith('/') ? p : `${dir}/${p}`),
    relative: (dir, p) => p.slice(dir.length + 1),
    exists: (p) => p in files,
    readText: (p) => files[p],
    glob: (pattern) => {
      const dir = pattern.replace(/\/[^/]*$/, '');
      const re = segmentPattern(pattern.slice(dir.length + 1));
      return Object.keys(files).filter((f) => f.startsWith(`${dir}/`) && re.test(f.slice(dir.length + 1))).sort();
    },
  };
}

describe('prometheus rules', () => {
  it('accepts a global scrape_interval below the default timeout (the timeout is capped at the interval)', () => {
    assert.deepEqual(lines('global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n    static_configs: [{targets: ["h:1"]}]\n'), []);
    assert.deepEqual(lines('scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n'), []);
  });
  it('refuses an explicit timeout above its interval, own or inherited', () => {
    assert.deepEqual(lines('global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n'), ['3 error global: scrape_timeout (6s) is greater than scrape_interval (5s).']);
    assert.deepEqual(lines('global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n    scrape_timeout: 10s\n'), ['5 error scrape_configs[0]: scrape_timeout (10s) is greater than scrape_interval (5s, from global).']);
  });
  it('reads relabel actions case-insensitively and YAML 1.1 booleans, as Prometheus does', () => {
    assert.deepEqual(lines('scrape_configs:\n  - job_name: a\n    honor_labels: yes\n    relabel_configs:\n      - action: Keep\n        source_labels: [x]\n'), []);
  });
  it('checks regular expressions with RE2, anchored as Prometheus anchors them', () => {
    const [f] = check('scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      - action: drop\n        regex: a(?=b)\n');
    assert.equal(f.code, 'prometheus.regex');
    assert.match(f.message, /does not compile \(RE2 syntax/);
    assert.deepEqual(lines('scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      - action: drop\n        regex: (?P<name>x)|\\pL+\n'), []);
  });
  it('checks label names under the configured validation scheme', () => {
    const text = (scheme: string) => `global:\n  metric_name_validation_scheme: ${scheme}\n  external_labels:\n    k8s.cluster: a\n`;
    assert.deepEqual(lines(text('utf8')), []);
    assert.match(lines(text('legacy'))[0], /^4 error .*"k8s\.cluster" is not a valid label name under the legacy name validation/);
    // A job's own scheme governs the labels its relabelling writes; source labels always decode as UTF-8.
    const job = (scheme: string) => `scrape_configs:\n  - job_name: a\n    metric_name_validation_scheme: ${scheme}\n    relabel_configs:\n      - source_labels: [k8s.app]\n        target_label: app.name\n      - source_labels: [x]\n        target_label: \${1}_x\n`;
    assert.deepEqual(lines(job('utf8')), []);
    const legacy = lines(job('legacy'));
    assert.equal(legacy.length, 1, legacy.join('\n'));
    assert.match(legacy[0], /^6 error scrape_configs\[0\]\.relabel_configs\[0\]: "app\.name" is not a valid label name under the legacy name validation .*\(target_label of the replace action\)\.$/);
  });
  it('offers the close name for a misspelt key, as a quick fix on the key', () => {
    const [f] = check('scrape_configs:\n  - job_name: a\n    metric_path: /m\n');
    assert.equal(f.message, 'Unknown key "metric_path" in scrape_configs[0]: did you mean "metrics_path"?');
    assert.deepEqual(f.fix, { title: 'Rename to "metrics_path"', newText: 'metrics_path', range: f.range });
  });
  it('warns about files that do not exist, relative to the configuration folder', () => {
    const host = memoryHost({ '/etc/prometheus/token': 't' });
    const text = 'scrape_configs:\n  - job_name: a\n    authorization:\n      credentials_file: token\n  - job_name: b\n    authorization:\n      credentials_file: missing\n';
    assert.deepEqual(lines(text, host), ['7 warning scrape_configs[1].authorization.credentials_file: the file "missing" does not exist (paths are relative to the configuration file\'s folder).']);
  });
  it('follows scrape_config_files and reports their mistakes on the including entry', () => {
    const host = memoryHost({ '/etc/prometheus/jobs/a.yml': 'scrape_configs:\n  - job_name: a\n    scrape_timeout: 2m\n', '/etc/prometheus/jobs/b.yml': 'scrape_configs:\n  - job_name: b\n    metrics_pth: /x\n' });
    assert.deepEqual(lines('scrape_config_files:\n  - jobs/*.yml\n', host), [
      '2 error jobs/a.yml: scrape_configs[0]: scrape_timeout (2m) is greater than scrape_interval (1m, from global).',
      '2 error scrape_config_files: jobs/b.yml:3: Unknown key "metrics_pth" in scrape_configs[0]: did you mean "metrics_path"?',
    ]);
  });
  it('words type errors without schema jargon', () => {
    assert.deepEqual(lines('global:\n  scrape_interval: 15 seconds\n  sample_limit: lots\n  external_labels: [a]\n'), [
      '2 error global.scrape_interval: unknown unit " seconds" in duration "15 seconds" (expected a duration, e.g. 1d, 1h30m, 5m, 10s (units y, w, d, h, m, s, ms, largest first; 0 alone needs no unit)).',
      '3 error global.sample_limit: "lots" is not a whole number.',
      '4 error global.external_labels must be a map (key: value lines), not a list.',
    ]);
  });
  it('bounds alias expansion (aliases of aliases cannot make the walk exponential)', () => {
    const many = (item: string) => `[${Array(100).fill(item).join(', ')}]`;
    const text = `x:\n  - &ts ${many('"h:1"')}\n  - &g {targets: *ts}\n  - &gs ${many('*g')}\n  - &j {job_name: j, static_configs: *gs}\nscrape_configs: ${many('*j')}\n`;
    const t = Date.now();
    const findings = check(text);
    assert.ok(Date.now() - t < 5000, `${Date.now() - t} ms`);
    assert.equal(findings.filter((f) => f.code === 'prometheus.aliases').length, 1);
  });
  it('checks proxy and TLS consistency', () => {
    assert.deepEqual(lines('scrape_configs:\n  - job_name: a\n    no_proxy: localhost\n    tls_config:\n      cert_file: c\n'), [
      '3 error scrape_configs[0]: no_proxy needs proxy_url.',
      '5 error scrape_configs[0].tls_config: a client certificate needs its key (key or key_file).',
    ]);
  });
});
