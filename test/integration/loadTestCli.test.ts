// `tfserving-studio loadtest` against the stand-in TF Serving server run as a process (monitoring on): the JSON
// it prints, TF Serving's own latency beside ours, a bad body counted as TF Serving's 400 with its message, and
// the refusals (a remote URL, wrong usage).
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { LoadTestRun } from '../../src/core/loadtest/loadTestReport';
import { REPO, tempDir } from './prometheusBinaries';
import { builtCli, CLI } from './builtCli';
import { freePorts, startStandin, type StandinProcess } from './monitorStandinProcess';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile(process.execPath, [CLI, 'loadtest', ...args], { timeout: 120_000 }, (e, stdout, stderr) =>
    resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })));
}

describe('CLI: loadtest against the stand-in server', function () {
  this.timeout(120_000);
  let standin: StandinProcess;
  let root: string;

  before(async function () {
    builtCli();
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

  it('--grpc: the same sweep over PredictionService/Predict, TF Serving\'s latency still from its metrics', async () => {
    const r = await cli([`${standin.restUrl}/v1/models/hpt`, '--grpc', '--grpc-address', standin.grpcAddress, '--concurrency', '1,4', '--requests', '300', '--warm-up', '200ms', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout) as LoadTestRun;
    assert.deepStrictEqual(run.target, { url: `grpc://${standin.grpcAddress}`, model: 'hpt', protocol: 'grpc' });
    assert.deepStrictEqual(run.levels.map((l) => [l.level, l.requests, l.ok, l.errors.total]), [[1, 300, 300, 0], [4, 300, 300, 0]]);
    for (const l of run.levels) assert.ok(l.server && l.server.requestsPerSecond > 0, `${l.label}: the server counted the gRPC requests (${run.serverLatencyNote ?? ''})`);
  });

  it('gRPC answers are not decoded, yet a failed call is counted by its status and TF Serving\'s message', async () => {
    const { GrpcTransport } = await import('../../src/core/loadtest/grpcTransport');
    const { encodePredictRequest } = await import('../../src/core/grpc/tfServingGrpcClient');
    const good = { model_spec: { name: 'hpt', signature_name: 'serving_default' }, inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '3' }] }, float_val: [1, 2, 5] } } };
    const unknown = { model_spec: { name: 'nope' }, inputs: {} };
    const t = new GrpcTransport(standin.grpcAddress, await Promise.all([good, unknown].map(encodePredictRequest)), 5000);
    try {
      const ch = t.channel();
      const outcomes = [await ch.send(), await ch.send()];
      assert.ok(ch.answeredAt >= ch.sentAt && ch.sentAt > 0);
      const ok = outcomes.filter((o) => o.ok).length;
      const failed = outcomes.find((o) => !o.ok);
      assert.strictEqual(ok, 1, JSON.stringify(outcomes));
      assert.ok(failed && !failed.ok && failed.kind === 'grpc-error' && failed.status === 'NOT_FOUND' && /nope/.test(failed.message), JSON.stringify(failed));
    } finally { t.close(); }
  });

  it('--grpc with nothing listening on the gRPC address: one line naming UNAVAILABLE, exit 1', async () => {
    const [port] = await freePorts(1);
    const r = await cli([`${standin.restUrl}/v1/models/hpt`, '--grpc', '--grpc-address', `127.0.0.1:${port}`, '--requests', '5', '--concurrency', '1', '--warm-up', '0']);
    // The signature's dtypes are read over gRPC before the run, so the run never starts.
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /UNAVAILABLE: .*nothing answers gRPC at 127\.0\.0\.1:\d+/);
  });

  it('--warmup: the predict records of a warmup file (written by the project\'s writer) as the requests, REST and gRPC', async () => {
    const { encodeWarmupRecords } = await import('../../src/core/warmup/predictionLog');
    const { encodeTfRecords } = await import('../../src/core/warmup/tfRecord');
    const records = await encodeWarmupRecords([1, 2, 3].map((n) => ({ modelName: 'hpt', signatureName: 'serving_default', inputs: { x: { dtype: 1, shape: [2], values: [n, n + 0.5] } } })));
    const file = path.join(root, 'tf_serving_warmup_requests');
    fs.writeFileSync(file, encodeTfRecords(records));
    for (const extra of [[], ['--grpc', '--grpc-address', standin.grpcAddress]]) {
      const r = await cli([`${standin.restUrl}/v1/models/hpt`, ...extra, '--warmup', file, '--concurrency', '2', '--requests', '90', '--warm-up', '0', '--json']);
      assert.strictEqual(r.code, 0, r.stderr);
      const run = JSON.parse(r.stdout) as LoadTestRun;
      assert.deepStrictEqual([run.source.distinctRequests, run.source.examplesPerRequest], [3, 2]);
      assert.match(run.source.description, /3 predict records of the warmup file/);
      const l = run.levels[0];
      assert.deepStrictEqual([l.requests, l.ok, l.errors.total], [90, 90, 0], `${extra.join(' ') || 'REST'}: ${JSON.stringify(l.errors)}`);
    }
    const notRecords = path.join(root, 'not-a-tfrecord');
    fs.writeFileSync(notRecords, 'hello, this is text and no TFRecord');
    const bad = await cli([`${standin.restUrl}/v1/models/hpt`, '--warmup', notRecords, '--requests', '5']);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stderr, /is not a readable TFRecord file: corrupted record at 0/);
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
