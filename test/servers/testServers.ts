// Starts the project's local S3 server and GCS emulator as child processes on free 127.0.0.1 ports, for integration
// tests and benchmarks, and stops them again. Nothing to start by hand.
import { spawn, type ChildProcess } from 'child_process';
import * as net from 'net';
import * as path from 'path';

/** The repository root, from out/test/servers (compiled) or test/servers (ts-node). */
export const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');

export interface RunningServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface S3TestServer extends RunningServer {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

export const TEST_ACCESS_KEY_ID = 'AKIATFSERVINGSTUDIO1';
export const TEST_SECRET_ACCESS_KEY = 'tfss-test-secret/not-a-real-key+0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

// Servers still running when the test process exits (a crash, a forgotten stop) go with it.
const running = new Set<ChildProcess>();
process.once('exit', () => { for (const child of running) child.kill('SIGKILL'); });

function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv, readyPattern: RegExp, timeoutMs: number, command = process.execPath): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const argv = command === process.execPath ? [path.join(repoRoot, 'test/servers', script), ...args] : args;
    const child = spawn(command, argv, {
      cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let output = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} did not start within ${timeoutMs} ms:\n${output}`)); }, timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = readyPattern.exec(output);
      if (m) { clearTimeout(timer); resolve({ child, match: m }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code}:\n${output}`)); });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

/** fauxqs with the SigV4 check on: only TEST_ACCESS_KEY_ID / TEST_SECRET_ACCESS_KEY are accepted. */
export async function startS3Server(): Promise<S3TestServer> {
  const { child, match } = await startProcess('s3Server.mjs', ['0'], { S3_VERIFY: `${TEST_ACCESS_KEY_ID}:${TEST_SECRET_ACCESS_KEY}` }, /S3_READY (\S+)/, 30_000);
  return { endpoint: match[1], accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY, region: 'us-east-1', stop: stopper(child) };
}

/** moto's S3 server (`.venv-moto/`, built by scripts/setup-moto.sh): unlike fauxqs it honours If-None-Match: * on
 *  PutObject and CompleteMultipartUpload and lists unfinished multipart uploads. It accepts any credentials, so the
 *  tests of wrong keys stay on fauxqs. */
export async function startMotoServer(): Promise<S3TestServer> {
  const port = await freePort();
  const bin = path.join(repoRoot, '.venv-moto/bin/moto_server');
  const { child } = await startProcess('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {}, /Running on http:\/\/127\.0\.0\.1/, 60_000, bin);
  return { endpoint: `http://127.0.0.1:${port}`, accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY, region: 'us-east-1', stop: stopper(child) };
}

/** firebase-tools' storage emulator; buckets appear on first write. */
export async function startGcsEmulator(): Promise<RunningServer> {
  const port = await freePort();
  const { child, match } = await startProcess('gcsEmulator.cjs', [String(port)], {}, /GCS_READY (\S+)/, 60_000);
  return { endpoint: match[1], stop: stopper(child) };
}

/** Creates a bucket on the S3 server (fauxqs needs it; AWS would too). */
export async function createS3Bucket(server: S3TestServer, bucket: string): Promise<void> {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
}
