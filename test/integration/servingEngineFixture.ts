// Shared by the serving integration tests: a live Docker engine (the one DOCKER_HOST names, or the project's
// private engine started by test/docker/engine-up.sh and stopped after the run) with the stand-in image built.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DockerEngine } from '../../src/core/serving/dockerEngine';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'tf-serving');
let enginePromise: Promise<DockerEngine> | undefined;
let startedPrivateEngine = false;

async function liveEngine(): Promise<DockerEngine | undefined> {
  if (!process.env.DOCKER_HOST) return undefined;
  try { return await DockerEngine.connect(); } catch { return undefined; }
}

async function start(): Promise<DockerEngine> {
  let engine = await liveEngine();
  if (!engine) {
    const out = execFileSync('sh', [path.join(REPO, 'test/docker/engine-up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const m = /export DOCKER_HOST=(\S+)/.exec(out);
    if (!m) throw new Error(`engine-up.sh printed no DOCKER_HOST: ${out}`);
    process.env.DOCKER_HOST = m[1];
    startedPrivateEngine = true;
    engine = await DockerEngine.connect();
  }
  execFileSync('sh', [path.join(REPO, 'test/docker/buildStandinImage.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  return engine;
}

/** Call inside a describe(): the suite gets the engine in its before(). */
export function useDockerEngine(): () => DockerEngine {
  let engine: DockerEngine | undefined;
  before(async function () {
    this.timeout(300_000); // a fresh machine installs docker.io first
    engine = await (enginePromise ??= start());
  });
  return () => {
    if (!engine) throw new Error('engine not started');
    return engine;
  };
}

// Root-level hook: runs once after every suite, whichever file loaded this module first.
after(function () {
  this.timeout(60_000);
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  if (startedPrivateEngine) execFileSync('sh', [path.join(REPO, 'test/docker/engine-down.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
});

const tempDirs: string[] = [];
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tfss-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

// One rule for test ports (random start, below the ephemeral range).
export { freePorts } from './monitorStandinProcess';

/** A copy of a fixture model folder (tests may add or remove versions). */
export function copyModel(fixture: string, versions?: Record<string, string>): string {
  const dir = tempDir('model');
  const src = path.join(FIXTURES, fixture);
  for (const v of fs.readdirSync(src)) {
    const target = versions ? versions[v] : v;
    if (target) fs.cpSync(path.join(src, v), path.join(dir, target), { recursive: true });
  }
  return dir;
}

export async function removeContainers(engine: DockerEngine, ids: string[]): Promise<void> {
  for (const id of ids.splice(0)) await engine.remove(id).catch(() => undefined);
}
