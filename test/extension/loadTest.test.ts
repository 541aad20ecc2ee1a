// Load Test… on a stand-in TF Serving server on the real private Docker engine: the run, the panel drawing its
// numbers, the exports, the CLI's JSON for the same server opened in the panel (same numbers drawn), and two
// saved runs compared side by side.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, freePort } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { LoadTestResult } from '../../src/vscode/loadtest/loadTestCommands';
import type { LevelResult, LoadTestRun } from '../../src/core/loadtest/loadTestReport';
import { TABLE_COLUMNS } from '../../src/vscode/loadtest/loadTestMessages';

const MODEL = 'saved_model_half_plus_two_2_versions';
const REPO = path.resolve(__dirname, '../../..');

/** What the panel's table must hold for a level: the JSON's numbers, column by column. */
function expectedRow(l: LevelResult): (string | number)[] {
  return TABLE_COLUMNS.map(([key]) => {
    switch (key) {
      case 'level': return l.level;
      case 'requestsPerSecond': return l.requestsPerSecond;
      case 'examplesPerSecond': return l.examplesPerSecond;
      case 'errors': return l.errors.total;
      case 'serverP50Ms': return l.server?.p50Ms ?? '';
      case 'serverP99Ms': return l.server?.p99Ms ?? '';
      default: return l.latencyMs[key];
    }
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile(process.execPath, [path.join(REPO, 'dist/cli.js'), ...args], { env, timeout: 120_000 }, (e, stdout, stderr) =>
    resolve({ code: e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : 1) : 0, stdout, stderr })));
}

describe('Load Test on the real Docker engine', function () {
  this.timeout(240_000);
  let api: ExtensionApi;
  const name = `tfs-loadtest-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfs-loadtest-'));

  before(async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    api = await activateExtension();
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const version = await childByLabel(api.models, await childByLabel(api.models, await childByLabel(api.models, undefined, root), MODEL), '124');
    const [restPort, grpcPort] = [await freePort(), await freePort()];
    const started = await vscode.commands.executeCommand<{ id: string }>('tfServing.startServer', version,
      { choices: { restPort, grpcPort, monitoring: true, batching: false }, containerName: name });
    assert.ok(started, 'server started');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('tfServing.removeServer', { containerId: name }, true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let first: LoadTestRun;

  it('runs a closed-loop sweep, draws it, and exports the same numbers as JSON and CSV', async () => {
    const json = path.join(dir, 'panel.json');
    const csv = path.join(dir, 'panel.csv');
    const r = await vscode.commands.executeCommand<LoadTestResult>('tfServing.loadTest', undefined, {
      containerId: name, options: { concurrency: '1,2', duration: '2s', warmupTime: '500ms', window: '1s' }, exportTo: { json, csv },
    });
    assert.ok(r, 'the command returns the run');
    first = r.run;
    assert.deepStrictEqual(first.levels.map((l) => l.level), [1, 2]);
    for (const l of first.levels) {
      assert.ok(l.ok > 50, `${l.label}: ${l.ok} answers`);
      assert.strictEqual(l.errors.total, 0, JSON.stringify(l.errors));
      assert.ok(l.latencyMs.p50Ms > 0 && l.latencyMs.p50Ms <= l.latencyMs.p99Ms && l.latencyMs.p99Ms <= l.latencyMs.maxMs, JSON.stringify(l.latencyMs));
      // Monitoring is on: TF Serving's own request_latency for the same window, below what the client saw.
      assert.ok(l.server, `${l.label} has the server's latency (${first.serverLatencyNote ?? ''})`);
      assert.ok(l.server.p50Ms <= l.latencyMs.p50Ms, `server p50 ${l.server.p50Ms} ≤ client p50 ${l.latencyMs.p50Ms}`);
      assert.ok(Math.abs(l.server.requestsPerSecond - l.requestsPerSecond) / l.requestsPerSecond < 0.35, `server ${l.server.requestsPerSecond} vs client ${l.requestsPerSecond} req/s`);
    }
    assert.ok(r.drawn, 'the panel reported its drawing');
    assert.strictEqual(r.drawn.charts, 2, 'latency and throughput curves');
    assert.deepStrictEqual(r.drawn.tables, [first.levels.map(expectedRow)]);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(json, 'utf8')), JSON.parse(JSON.stringify(first)));
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    assert.strictEqual(lines.length, 3);
    assert.ok(lines[0].startsWith('level,label,end,stable'));
    assert.ok(lines[1].startsWith(`1,concurrency 1,duration,`));
  });

  it('the CLI\'s JSON for the same server, opened in the panel, draws the same numbers', async () => {
    const r = await cli(['loadtest', name, '--concurrency', '1,4', '--requests', '300', '--warm-up', '300ms', '--json'], { ...process.env });
    assert.strictEqual(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout) as LoadTestRun;
    assert.deepStrictEqual(run.levels.map((l) => [l.level, l.end, l.requests]), [[1, 'requests', 300], [4, 'requests', 300]]);
    assert.strictEqual(run.target.model, MODEL);
    const file = path.join(dir, 'cli.json');
    fs.writeFileSync(file, r.stdout);
    const opened = await vscode.commands.executeCommand<LoadTestResult[]>('tfServing.compareLoadTests', [file]);
    assert.ok(opened?.[0]?.drawn, 'the panel drew the saved run');
    assert.deepStrictEqual(opened[0].drawn.tables, [run.levels.map(expectedRow)]);
  });

  it('compares two saved runs side by side', async () => {
    const files = [path.join(dir, 'panel.json'), path.join(dir, 'cli.json')];
    const shown = await vscode.commands.executeCommand<LoadTestResult[]>('tfServing.compareLoadTests', files);
    assert.ok(shown?.length === 2 && shown[0].drawn, 'two runs drawn');
    const runs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as LoadTestRun);
    assert.deepStrictEqual(shown[0].drawn.tables, runs.map((run) => run.levels.map(expectedRow)));
    assert.strictEqual(shown[0].drawn.charts, 2);
  });

  it('refuses a file that is not a saved run, saying what it is not', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"instances": [1]}');
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.compareLoadTests', [bad]), undefined);
  });
});
