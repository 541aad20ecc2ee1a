// `tfserving-studio prometheus-config` from the built bundle (dist/cli.js), its output checked by the real promtool.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { prometheusConfigText } from '../../src/core/monitoring/prometheusConfigWriter';
import { prometheusBinaries, promtoolCheckConfig, tempDir } from './prometheusBinaries';
import { builtCli, CLI } from './builtCli';


function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'prometheus-config', ...args], { cwd, encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('prometheus-config CLI (built bundle + real promtool)', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    this.timeout(120_000);
    prometheusBinaries();
    builtCli();
    dir = tempDir('promcli');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints to stdout the same prometheus.yml the extension writes, and promtool accepts it', async () => {
    const r = cli(dir, '--target', '127.0.0.1:8501');
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, await prometheusConfigText({ target: '127.0.0.1:8501' }));
    fs.writeFileSync(path.join(dir, 'stdout.yml'), r.stdout);
    const check = promtoolCheckConfig(path.join(dir, 'stdout.yml'));
    assert.strictEqual(check.status, 0, check.output);
    assert.strictEqual(parse(r.stdout).scrape_configs[0].metrics_path, '/monitoring/prometheus/metrics');
  });

  it('writes --out with every option; refuses to overwrite without --force', () => {
    const args = ['--target', 'tfs-hpt:8501', '--metrics-path=/custom/metrics', '--job', 'hpt', '--scrape-interval', '10s', '--out', 'prom/prometheus.yml'];
    fs.mkdirSync(path.join(dir, 'prom'));
    const first = cli(dir, ...args);
    assert.strictEqual(first.status, 0, first.stderr);
    assert.strictEqual(first.stdout, '');
    assert.match(first.stderr, /Wrote prom\/prometheus.yml/);
    const file = path.join(dir, 'prom/prometheus.yml');
    const check = promtoolCheckConfig(file);
    assert.strictEqual(check.status, 0, check.output);
    const job = parse(fs.readFileSync(file, 'utf8')).scrape_configs[0];
    assert.deepStrictEqual([job.job_name, job.metrics_path, job.scrape_interval, job.static_configs[0].targets], ['hpt', '/custom/metrics', '10s', ['tfs-hpt:8501']]);

    fs.writeFileSync(file, 'keep me\n');
    const again = cli(dir, ...args);
    assert.strictEqual(again.status, 1);
    assert.match(again.stderr, /already exists; add --force to overwrite it/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'keep me\n');
    const forced = cli(dir, ...args, '--force');
    assert.strictEqual(forced.status, 0, forced.stderr);
    assert.strictEqual(promtoolCheckConfig(file).status, 0);
  });

  it('explains bad input with exit codes 2 (usage) and 1 (invalid value)', () => {
    const none = cli(dir);
    assert.strictEqual(none.status, 2);
    assert.match(none.stderr, /--target HOST:PORT is required/);
    const unknown = cli(dir, '--target', 'a:1', '--interval', '5s');
    assert.strictEqual(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option --interval/);
    const badTarget = cli(dir, '--target', 'localhost');
    assert.strictEqual(badTarget.status, 1);
    assert.match(badTarget.stderr, /"localhost" is not HOST:PORT/);
    const badInterval = cli(dir, '--target', 'a:1', '--scrape-interval', '5 seconds');
    assert.strictEqual(badInterval.status, 1);
    assert.match(badInterval.stderr, /not a Prometheus duration/);
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /prometheus-config --target HOST:PORT/);
  });
});
