// The stand-in TF Serving server (test/fixtures/tfserving-standin) run directly as a Node process, not in Docker:
// bundled with esbuild, started with TF Serving's flags and a monitoring config enabling its Prometheus page.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { monitoringConfigText } from '../../src/core/configs/monitoringConfig';
import { nextFreePort } from '../../src/core/serving/portProbe';
import { REPO, tempDir } from './prometheusBinaries';

export interface StandinProcess {
  readonly restUrl: string;
  readonly restPort: number;
  /** host:port of its gRPC port. */
  readonly grpcAddress: string;
  readonly metricsPath: string;
  stop(): Promise<void>;
}

let bundle: string | undefined;
function standinBundle(): string {
  if (bundle) return bundle;
  const out = path.join(tempDir('standin'), 'tf_serving_entrypoint.js');
  execFileSync(path.join(REPO, 'node_modules/.bin/esbuild'), [
    path.join(REPO, 'test/fixtures/tfserving-standin/server/main.ts'), '--bundle', '--platform=node', '--target=node18',
    `--outfile=${out}`, '--log-level=warning',
  ], { stdio: 'inherit' });
  // Its gRPC port reads TF Serving's protos from the nearest protos/ above the bundle (as in the image).
  fs.symlinkSync(path.join(REPO, 'protos'), path.join(path.dirname(out), 'protos'));
  return (bundle = out);
}

/**
 * Free ports from a random start, so parallel runs and other helpers do not collide; below Linux's ephemeral range
 * (32768+), where outgoing connections take their local ports between our probe and the server's bind.
 */
export async function freePorts(n = 2): Promise<number[]> {
  const out: number[] = [];
  let from = 20_000 + Math.floor(Math.random() * 12_000);
  while (out.length < n) {
    const p = await nextFreePort(from, '127.0.0.1');
    if (!p) throw new Error('no free port');
    out.push(p);
    from = p + 1;
  }
  return out;
}

export async function startStandin(modelName: string, modelDir: string, metricsPath = '/monitoring/prometheus/metrics', extraFlags: readonly string[] = []): Promise<StandinProcess> {
  // A port probed free can still be taken before the stand-in binds it: try again with other ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStandinOnce(modelName, modelDir, metricsPath, extraFlags);
    } catch (e) {
      if (attempt >= 3 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startStandinOnce(modelName: string, modelDir: string, metricsPath: string, extraFlags: readonly string[]): Promise<StandinProcess> {
  const cfgDir = tempDir('standin-cfg');
  const monitoring = path.join(cfgDir, 'monitoring.config');
  fs.writeFileSync(monitoring, monitoringConfigText({ enable: true, path: metricsPath }));
  const [restPort, grpcPort] = await freePorts(2);
  let log = '';
  const child = spawn(process.execPath, [
    standinBundle(), `--port=${grpcPort}`, `--rest_api_port=${restPort}`, `--model_name=${modelName}`,
    `--model_base_path=${modelDir}`, `--monitoring_config_file=${monitoring}`, '--file_system_poll_wait_seconds=0', ...extraFlags,
  ], { env: { ...process.env, STANDIN_NO_ENTRYPOINT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const restUrl = `http://127.0.0.1:${restPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGTERM'); await exited; }
    fs.rmSync(cfgDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      fs.rmSync(cfgDir, { recursive: true, force: true });
      throw new Error(`stand-in exited (${child.exitCode}):\n${log}`);
    }
    try {
      const r = await fetch(`${restUrl}/v1/models/${modelName}`);
      const body = await r.text();
      if (r.status === 200 && body.includes('AVAILABLE')) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`stand-in not ready within 30 s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { restUrl, restPort, grpcAddress: `127.0.0.1:${grpcPort}`, metricsPath, stop };
}
