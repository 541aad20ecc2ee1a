// The built CLI (dist/cli.js) end to end: output format, --json, exit codes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..');
const cli = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'validate', ...args], { cwd: repo, encoding: 'utf8', timeout: 30000 });

describe('tfserving-studio validate (built CLI)', function () {
  this.timeout(60000);
  before(() => {
    const b = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });
  it('exits 0 on clean files and prints nothing', () => {
    const r = cli('test/fixtures/k8s/tfserving-good.yaml', 'test/fixtures/textproto/valid/models.config', 'test/fixtures/prometheus/valid/tfserving-typical.yml');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
  });
  it('prints file:line:col severity message per finding and exits 1 on errors', () => {
    const r = cli('test/fixtures/k8s/tfserving-broken.yaml', 'test/fixtures/textproto/invalid/unknown-field.config');
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 11);
    assert.ok(lines.every((l) => /^\S+:\d+:\d+ (error|warning|info) .+/.test(l)), r.stdout);
    assert.ok(lines.includes('test/fixtures/textproto/invalid/unknown-field.config:5:5 error Unknown field "basepath" in ModelConfig. Did you mean "base_path"?'));
    assert.ok(lines.some((l) => l.startsWith('test/fixtures/k8s/tfserving-broken.yaml:8:12 error Selector label app=tfserving')));
  });
  it('exits 0 when there are only warnings', () => {
    const r = cli('test/fixtures/k8s/tfserving-warnings.yaml');
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /warning No readinessProbe/);
  });
  it('writes findings as JSON with --json', () => {
    const r = cli('--json', 'test/fixtures/prometheus/invalid/unknown-scrape-key.yml');
    assert.equal(r.status, 1);
    const findings = JSON.parse(r.stdout);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].range.start, { line: 4, character: 4 });
    assert.equal(findings[0].code, 'prometheus.unknown-key');
  });
  it('fails with a one-line message on a missing file', () => {
    const r = cli('no/such/file.yml');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot read no\/such\/file\.yml: ENOENT/);
  });
});
