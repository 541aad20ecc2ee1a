// `tfserving-studio loadtest` against the stand-in TF Serving server run as a process (monitoring on): the JSON
// it prints, TF Serving's own latency beside ours, a bad body counted as TF Serving's 400 with its message, and
// the refusals (a remote URL, wrong usage).
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { LoadTestRun } from '../../src/core/loadtest/loadTestReport';
import { REPO, tempDir } from './prometheusBinaries';
import { startStandin, type StandinProcess } from './monitorStandinProcess';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile(process.execPath, [path.join(REPO, 'dist/cli.js'), 'loadtest', ...args], { timeout: 120_000 }, (e, stdout, stderr) =>
    resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })));
}

describe('CLI: loadtest against the stand-in server', function () {
  this.timeout(120_000);
  let standin: StandinProcess;
  let root: string;

  before(async function () {
    if (!fs.existsSync(path.join(REPO, 'dist/cli.js'))) this.skip(); // needs npm run build (scripts/test.sh builds first)
    root = tempDir('lt-model');
    fs.cpSync(path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu'), path.join(root, 'hpt'), { recursive: true });
    standin = await startStandin('hpt', path.join(root, 'hpt'));
  });
  after(async () => {
    await standin?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('--json: a closed-loop sweep from the signature, with TF Serving\'s own latency for each level', async () => {
    const r = await cli([`${standin.restUrl}/v1/models/hpt`, '--concurrency', '1,2', '--requests', '400', '--warm-up', '200ms', '--batch', '3', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout) as LoadTestRun;
    assert.strictEqual(run.format, 'tfserving-studio.loadtest/1');
    assert.deepStrictEqual(run.target, { url: standin.restUrl, model: 'hpt', protocol: 'rest' });
    assert.strictEqual(run.source.examplesPerRequest, 3);
    assert.match(run.source.description, /16 generated requests of 3 examples \(signature serving_default, seed 0\)/);
    assert.deepStrictEqual(run.levels.map((l) => [l.level, l.end, l.requests, l.ok]), [[1, 'requests', 400, 400], [2, 'requests', 400, 400]]);
    for (const l of run.levels) {
      assert.ok(Math.abs(l.examplesPerSecond - 3 * l.requestsPerSecond) < 0.01 * l.examplesPerSecond, `${l.examplesPerSecond} vs 3 × ${l.requestsPerSecond}`);
      assert.ok(l.server, `server latency found on ${standin.metricsPath}: ${run.serverLatencyNote ?? ''}`);
      assert.ok(l.server.p99Ms <= l.latencyMs.maxMs, 'the server never takes longer than the client saw');
    }
    assert.match(r.stderr, /\[1\/2\] concurrency 1: warming up/);
  });

  it('a body TF Serving refuses: every request counted as http-4xx with the server\'s message', async () => {
    const body = path.join(root, 'bad.json');
    fs.writeFileSync(body, JSON.stringify({ instances: [{ nope: 1 }] }));
    const r = await cli([`${standin.restUrl}/v1/models/hpt`, '--concurrency', '2', '--requests', '100', '--warm-up', '0', '--body', body, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const l = (JSON.parse(r.stdout) as LoadTestRun).levels[0];
    assert.strictEqual(l.ok, 0);
    assert.deepStrictEqual([l.errors.total, l.errors.byKind['http-4xx'], Object.keys(l.errors.byStatus)], [100, 100, ['400']]);
    assert.ok(l.errors.messages['http-4xx'] && !/^HTTP 400/.test(l.errors.messages['http-4xx']), `TF Serving's own message: ${l.errors.messages['http-4xx']}`);
  });

  it('the text table and CSV; refusals of a remote URL (exit 1) and wrong usage (exit 2)', async () => {
    const text = await cli([standin.restUrl, '--model', 'hpt', '--rate', '100', '--duration', '1s', '--window', '500ms', '--warm-up', '0']);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Open loop load test of hpt/);
    assert.match(text.stdout, /100 req\/s\s+\d+/);
    const csv = await cli([standin.restUrl, '--model', 'hpt', '--requests', '50', '--concurrency', '1', '--warm-up', '0', '--csv']);
    assert.strictEqual(csv.stdout.trim().split('\n').length, 2);
    const remote = await cli(['http://192.0.2.1:8501/v1/models/hpt']);
    assert.strictEqual(remote.code, 1);
    assert.match(remote.stderr, /is not on this machine.*--allow-remote/);
    for (const args of [[standin.restUrl], [`${standin.restUrl}/v1/models/hpt`, '--rate', '5', '--concurrency', '2'], [`${standin.restUrl}/v1/models/hpt`, '--json', '--csv']]) {
      const u = await cli(args);
      assert.strictEqual(u.code, 2, `${args.join(' ')}: ${u.stderr}`);
      assert.match(u.stderr, /Usage: tfserving-studio loadtest/);
    }
  });
});
