// Debian's `prometheus` package for the monitoring integration tests: `prometheus` and `promtool`. Installed with
// apt when missing (idempotent, as the project's setup does), never mocked.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

let ensured = false;
/** Paths of promtool and prometheus, installing Debian's package first when either is missing. */
export function prometheusBinaries(): { promtool: string; prometheus: string } {
  if (!ensured && (!which('promtool') || !which('prometheus'))) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { stdio: 'inherit', env });
  }
  ensured = true;
  const promtool = which('promtool');
  const prometheus = which('prometheus');
  if (!promtool || !prometheus) throw new Error('promtool/prometheus still missing after installing Debian\'s prometheus package.');
  return { promtool, prometheus };
}

export interface PromtoolResult { status: number | null; output: string }

/** `promtool check config FILE`: exit 0 and "SUCCESS" for a config Prometheus would load. */
export function promtoolCheckConfig(file: string): PromtoolResult {
  const r = spawnSync(prometheusBinaries().promtool, ['check', 'config', file], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tfss-${prefix}-`));
}

export interface RunningPrometheus {
  readonly url: string;
  readonly pid: number;
  log(): string;
  stop(): Promise<void>;
}

/** A real Prometheus on 127.0.0.1:<port> with its own temporary TSDB, stopped (and its data removed) by stop(). */
export async function startPrometheus(configFile: string, port: number): Promise<RunningPrometheus> {
  const { spawn } = await import('child_process');
  const data = tempDir('promdata');
  let log = '';
  const child = spawn(prometheusBinaries().prometheus, [
    `--config.file=${configFile}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(data, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`prometheus not ready within 30 s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid!, log: () => log, stop };
}
