// The stand-in TF Serving (test/fixtures/tfserving-standin, run as a Node process) reads a version's warmup file
// when it loads it: TF Serving's log lines, and a corrupt file or a request the model cannot run fails that load
// with TF Serving's status, visible in the model status a client (and the Serving view) reads.
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { WarmupPredictRequest } from '../../src/core/warmup/predictionLog';
import { warmupFileBytes, writeWarmupFile } from '../../src/core/warmup/versionWarmup';
import { freePorts } from './monitorStandinProcess';
import { REPO } from './tensorflowZoo';

const HALF_PLUS_TWO = path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu/00000123');

const request = (signatureName: string, values: number[]): WarmupPredictRequest => ({
  modelName: 'hpt', signatureName, inputs: { x: { dtype: 1, shape: [values.length, 1], values } },
});

interface Status { version: string; state: string; status: { error_code: string; error_message: string } }

describe('stand-in server: warmup on load', function () {
  this.timeout(120_000);
  let work: string;
  before(() => { work = mkdtempSync(path.join(os.tmpdir(), 'tfss-warmup-standin-')); });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('logs reading the warmup file, loads the good versions, and fails the load of a corrupt or mismatched one with TF Serving\'s status', async () => {
    const base = path.join(work, 'hpt');
    for (const v of ['1', '2', '3', '4']) cpSync(HALF_PLUS_TWO, path.join(base, v), { recursive: true });
    await writeWarmupFile(path.join(base, '1'), await warmupFileBytes([request('serving_default', [1, 2]), request('', [3])]));
    const corrupt = await warmupFileBytes([request('serving_default', [1]), request('serving_default', [2])]);
    corrupt[corrupt.length - 9] ^= 0x40;
    await writeWarmupFile(path.join(base, '2'), corrupt);
    await writeWarmupFile(path.join(base, '3'), await warmupFileBytes([request('serving_default', [1]), request('classify', [2])]));
    // Version 4 has no warmup file.
    const config = path.join(work, 'models.config');
    writeFileSync(config, `model_config_list { config { name: "hpt" base_path: "${base}" model_platform: "tensorflow" model_version_policy { all {} } } }\n`);

    // Bundled inside the checkout, so the protobufjs Root finds protos/ as it does from dist/.
    const outDir = path.join(REPO, '.tmp', 'standin-warmup');
    mkdirSync(outDir, { recursive: true });
    const bundle = path.join(outDir, 'tf_serving_entrypoint.js');
    execFileSync(path.join(REPO, 'node_modules/.bin/esbuild'), [path.join(REPO, 'test/fixtures/tfserving-standin/server/main.ts'), '--bundle', '--platform=node', '--target=node18', `--outfile=${bundle}`, '--log-level=warning']);
    const [restPort, grpcPort] = await freePorts(2);
    let log = '';
    const child = spawn(process.execPath, [bundle, `--port=${grpcPort}`, `--rest_api_port=${restPort}`, `--model_config_file=${config}`, '--file_system_poll_wait_seconds=0'],
      { env: { ...process.env, STANDIN_NO_ENTRYPOINT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    try {
      let states: Status[] = [];
      for (const deadline = Date.now() + 60_000; ;) {
        assert.strictEqual(child.exitCode, null, `stand-in exited:\n${log}`);
        const answer = await fetch(`http://127.0.0.1:${restPort}/v1/models/hpt`).then((r) => r.json() as Promise<{ model_version_status?: Status[] }>, () => undefined);
        states = answer?.model_version_status ?? [];
        if (states.length === 4 && states.every((s) => s.state === 'AVAILABLE' || s.state === 'END')) break;
        assert.ok(Date.now() < deadline, `versions did not settle:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const byVersion = new Map(states.map((s) => [s.version, s]));
      const file = (v: string) => path.join(base, v, 'assets.extra', 'tf_serving_warmup_requests');
      assert.deepStrictEqual(byVersion.get('1')?.state, 'AVAILABLE', log);
      assert.match(log, new RegExp(`Starting to read warmup data for model at ${escape(file('1'))} with model-warmup-options \\n`));
      assert.match(log, new RegExp(`Finished reading warmup data for model at ${escape(file('1'))}\\. Number of warmup records read: 2\\. Elapsed time \\(microseconds\\): \\d+\\.`));
      assert.deepStrictEqual(byVersion.get('4')?.state, 'AVAILABLE');
      assert.match(log, new RegExp(`No warmup data file found at ${escape(file('4'))}`));

      const second = corrupt.length / 2;
      assert.deepStrictEqual(byVersion.get('2'), { version: '2', state: 'END', status: { error_code: 'DATA_LOSS', error_message: `corrupted record at ${second + 12}. Please verify your warmup data is in TFRecord format.` } });
      assert.match(log, new RegExp(`Loading servable: \\{name: hpt version: 2\\} failed: DATA_LOSS: corrupted record at ${second + 12}\\. Please verify your warmup data is in TFRecord format\\.`));
      assert.deepStrictEqual(byVersion.get('3')?.status, { error_code: 'FAILED_PRECONDITION', error_message: 'Serving signature key "classify" not found.' });
      assert.doesNotMatch(log, new RegExp(`Finished reading warmup data for model at ${escape(file('2'))}`));
    } finally {
      child.kill('SIGTERM');
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
