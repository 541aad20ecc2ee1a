// The load test's pure parts: percentiles of known distributions within the HDR histogram's precision, flat
// memory, the stability rule, the plan parser's messages, generated requests, and the export formats.
import * as assert from 'assert';
import { LatencyHistogram, loadHistogramLibrary } from '../../src/core/loadtest/latencyHistogram';
import { loadTestPlan, LoadTestPlanError, parseDuration, planLevels } from '../../src/core/loadtest/loadTestPlan';
import { isStable } from '../../src/core/loadtest/stableWindows';
import { requestsFromBody, requestsFromSignature, signatureFromMetadata, chooseSignature } from '../../src/core/loadtest/requestSource';
import { parseRun, runNotes, runToCsv, runToText, RUN_FORMAT, type LoadTestRun } from '../../src/core/loadtest/loadTestReport';
import { isLoopbackUrl, targetFromUrl } from '../../src/core/loadtest/loadTestTarget';
import { ErrorTally, httpOutcome } from '../../src/core/loadtest/outcome';
import { grpcOutcome } from '../../src/core/loadtest/grpcTransport';
import { GrpcError } from '../../src/core/grpc/grpcError';

describe('load test statistics and plan', () => {
  before(() => loadHistogramLibrary());

  it('percentiles of a known distribution are exact to the histogram\'s 0.1 %', () => {
    // 1 ms … 100 ms in steps of 1 µs: the p-th percentile is p ms (uniform).
    const h = new LatencyHistogram();
    for (let us = 1000; us <= 100_000; us++) h.record(us / 1000);
    const s = h.summary();
    for (const [v, want] of [[s.p50Ms, 50.5], [s.p90Ms, 90.1], [s.p95Ms, 95.05], [s.p99Ms, 99.01], [s.maxMs, 100]] as const) {
      assert.ok(Math.abs(v - want) / want <= 0.001, `${v} vs ${want}`);
    }
    assert.ok(Math.abs(s.meanMs - 50.5) / 50.5 < 0.001, String(s.meanMs));
    h.destroy();
  });

  it('no percentile is above the largest latency recorded (the library answers with the top of its bucket)', () => {
    // 81.259 ms falls in a 64 µs bucket whose top is 81.279 ms: p99 of these is the maximum itself.
    const h = new LatencyHistogram();
    for (let i = 0; i < 98; i++) h.record(1);
    h.record(81.259);
    h.record(81.259);
    const s = h.summary();
    assert.strictEqual(s.maxMs, 81.259);
    assert.strictEqual(s.p99Ms, 81.259);
    assert.strictEqual(h.percentileMs(99.9), 81.259);
    assert.strictEqual(s.p50Ms, 1);
    h.destroy();
  });

  it('memory stays flat: a million latencies take the same counts array as a thousand', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) h.record(0.05 + (i % 500) * 0.7);
    const small = h.estimatedFootprintBytes;
    for (let i = 0; i < 1_000_000; i++) h.record(0.05 + (i % 5000) * 0.07);
    assert.strictEqual(h.estimatedFootprintBytes, small);
    assert.strictEqual(h.count, 1_001_000);
    h.destroy();
  });

  it('stable means the last windows agree within ±10 % in throughput and p99, and never with an empty window', () => {
    const w = (rps: number, p99: number, count = 100) => ({ requestsPerSecond: rps, p99Ms: p99, count });
    assert.ok(isStable([w(50, 9), w(100, 10), w(105, 10.5), w(97, 9.8)], 3, 0.1));
    assert.ok(!isStable([w(100, 10), w(105, 10.5)], 3, 0.1), 'too few windows');
    assert.ok(!isStable([w(100, 10), w(130, 10), w(100, 10)], 3, 0.1), 'throughput varies');
    assert.ok(!isStable([w(100, 10), w(100, 14), w(100, 10)], 3, 0.1), 'p99 varies');
    assert.ok(!isStable([w(0, 0, 0), w(0, 0, 0), w(0, 0, 0)], 3, 0.1), 'a stalled server is not steady');
  });

  it('the plan: defaults, fixed lengths, and messages that say what to write', () => {
    const d = loadTestPlan({});
    assert.deepStrictEqual(d.mode, { kind: 'closed', concurrency: [1, 2, 4, 8, 16] });
    assert.strictEqual(d.fixedDurationMs, undefined);
    assert.strictEqual(d.maxDurationMs, 30_000);
    assert.strictEqual(d.maxRequests, 1_000_000);
    const open = loadTestPlan({ rate: '50,100', duration: '10s' });
    assert.deepStrictEqual(open.mode, { kind: 'open', rates: [50, 100], connections: 64, arrivals: 'constant' });
    const poisson = loadTestPlan({ rate: '80', arrivals: 'Poisson' });
    assert.deepStrictEqual(poisson.mode, { kind: 'open', rates: [80], connections: 64, arrivals: 'poisson' });
    assert.deepStrictEqual(planLevels(poisson).map((l) => l.label), ['80 req/s (Poisson)']);
    assert.throws(() => loadTestPlan({ rate: '10', arrivals: 'bursty' }), (e: Error) => /"bursty" are neither constant nor poisson/.test(e.message) && /constant .* or poisson/.test((e as LoadTestPlanError).hint!));
    assert.throws(() => loadTestPlan({ arrivals: 'poisson' }), /Arrivals apply to an open-loop run/);
    assert.strictEqual(open.fixedDurationMs, 10_000);
    assert.strictEqual(loadTestPlan({ duration: '2m' }).maxDurationMs, 120_000);
    assert.strictEqual(loadTestPlan({ requests: '500' }).fixedRequests, 500);
    assert.strictEqual(parseDuration('500ms', 'x'), 500);
    assert.strictEqual(parseDuration('1.5s', 'x'), 1500);
    assert.throws(() => loadTestPlan({ concurrency: '1,0' }), (e: Error) => e instanceof LoadTestPlanError && /"0" is not a whole number of at least 1/.test(e.message));
    assert.throws(() => loadTestPlan({ concurrency: '2', rate: '10' }), /either a concurrency sweep .* or a rate/);
    assert.throws(() => loadTestPlan({ duration: '3 hours' }), (e: Error) => /not a duration/.test(e.message) && /30s, 500ms or 2m/.test((e as LoadTestPlanError).hint!));
    assert.throws(() => loadTestPlan({ duration: '1s', requests: '5' }), /not both/);
    assert.throws(() => loadTestPlan({ requests: '2000000' }), /more than the 1,000,000/);
  });

  it('generated requests follow the signature: batch, dtypes, shapes, the same for the same seed', () => {
    const meta = { inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1' }, { size: '3' }], unknown_rank: false } }, k: { dtype: 'DT_INT64', tensor_shape: { dim: [{ size: '-1' }], unknown_rank: false } } } };
    const sig = signatureFromMetadata('predict', meta);
    const a = requestsFromSignature(sig, 4, 7);
    const b = requestsFromSignature(sig, 4, 7);
    assert.deepStrictEqual(a.bodies, b.bodies);
    assert.notDeepStrictEqual(a.bodies, requestsFromSignature(sig, 4, 8).bodies);
    assert.strictEqual(a.examplesPerRequest, 4);
    const body = JSON.parse(a.bodies[0]) as { signature_name: string; instances: { x: number[]; k: number }[] };
    assert.strictEqual(body.signature_name, 'predict');
    assert.strictEqual(body.instances.length, 4);
    for (const inst of body.instances) {
      assert.strictEqual(inst.x.length, 3);
      assert.ok(inst.x.every((v) => v >= 0 && v < 1));
      assert.ok(Number.isInteger(inst.k) && inst.k >= 0 && inst.k < 10);
    }
    const fixed = signatureFromMetadata('serving_default', { inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '2' }], unknown_rank: false } } } });
    assert.throws(() => requestsFromSignature(fixed, 4), /batches of exactly 2/);
    assert.throws(() => requestsFromSignature(signatureFromMetadata('s', { inputs: { r: { dtype: 'DT_RESOURCE' } } }), 1), /cannot be generated/);
    assert.throws(() => chooseSignature({ a: meta, b: meta }, undefined, 'm'), /2 signatures and none is serving_default/);
  });

  it('a JSON body counts its examples; a body without instances or inputs says what it needs', () => {
    assert.strictEqual(requestsFromBody('{"instances": [1, 2, 3]}', 'b.json').examplesPerRequest, 3);
    assert.strictEqual(requestsFromBody('{"inputs": {"x": [[1], [2]]}}', 'b.json').examplesPerRequest, 2);
    assert.throws(() => requestsFromBody('{"instance": [1]}', 'b.json'), /needs "instances" .* or "inputs"/);
    assert.throws(() => requestsFromBody('{', 'b.json'), /b.json is not JSON/);
  });

  it('targets: loopback only without asking; URLs name the model and version', () => {
    assert.ok(isLoopbackUrl('http://127.0.0.1:8501'));
    assert.ok(isLoopbackUrl('http://127.3.2.1:8501'));
    assert.ok(isLoopbackUrl('http://[::1]:8501'));
    assert.ok(isLoopbackUrl('http://localhost:8501'));
    assert.ok(!isLoopbackUrl('http://10.0.0.5:8501'));
    assert.ok(!isLoopbackUrl('http://127.0.0.1.example.com:8501'));
    assert.deepStrictEqual(targetFromUrl('http://127.0.0.1:8501/v1/models/hpt/versions/3'), { restUrl: 'http://127.0.0.1:8501', model: 'hpt', version: { version: 3 } });
    assert.deepStrictEqual(targetFromUrl('http://127.0.0.1:8501'), { restUrl: 'http://127.0.0.1:8501' });
    assert.throws(() => targetFromUrl('https://127.0.0.1:8501/v1/models/hpt'), /plain HTTP/);
  });

  it('errors: TF Serving\'s error JSON is the message; tallies merge', () => {
    const o = httpOutcome(404, () => '{ "error": "Servable not found for request: Latest(x)" }');
    assert.deepStrictEqual(o, { ok: false, kind: 'http-4xx', status: 404, message: 'Servable not found for request: Latest(x)' });
    const a = new ErrorTally();
    a.add(o as never);
    const b = new ErrorTally();
    b.add({ ok: false, kind: 'timeout', message: 't' });
    b.add(o as never);
    a.merge(b);
    assert.deepStrictEqual(a.counts(), { total: 3, byKind: { 'http-4xx': 2, timeout: 1 }, byStatus: { 404: 2 }, messages: { 'http-4xx': 'Servable not found for request: Latest(x)', timeout: 't' } });
  });

  it('gRPC failures: DEADLINE_EXCEEDED is a timeout, UNAVAILABLE nothing listening, other statuses by name', () => {
    assert.deepStrictEqual(grpcOutcome(new GrpcError('DEADLINE_EXCEEDED', 'late')), { ok: false, kind: 'timeout', status: 'DEADLINE_EXCEEDED', message: 'late' });
    assert.strictEqual((grpcOutcome(new GrpcError('UNAVAILABLE', 'x')) as { kind: string }).kind, 'connection-refused');
    assert.deepStrictEqual(grpcOutcome(new GrpcError('INVALID_ARGUMENT', 'Expects arg[0] to be float but string is provided')),
      { ok: false, kind: 'grpc-error', status: 'INVALID_ARGUMENT', message: 'Expects arg[0] to be float but string is provided' });
  });

  it('CSV has a row per level; a file that is not a saved run is refused by name', () => {
    const level = {
      level: 2, label: 'concurrency 2', end: 'stable' as const, stable: true, windows: 3, durationSeconds: 6, requests: 600, ok: 598,
      requestsPerSecond: 100, examplesPerSecond: 100, latencyMs: { count: 598, meanMs: 1, p50Ms: 1, p90Ms: 2, p95Ms: 3, p99Ms: 4, maxMs: 5 },
      errors: { total: 2, byKind: { 'http-5xx': 2 }, byStatus: { 503: 2 }, messages: { 'http-5xx': 'x, "y"' } }, clientCpuMicrosPerRequest: 12,
    };
    const run = { format: RUN_FORMAT, levels: [level] } as unknown as LoadTestRun;
    const csv = runToCsv(run).trim().split('\n');
    assert.strictEqual(csv.length, 2);
    assert.strictEqual(csv[1], '2,concurrency 2,stable,true,3,6,600,598,100,100,1,2,3,4,5,1,2,0,0,0,0,2,12,,,');
    assert.throws(() => parseRun('{"levels": []}', 'x.json'), /x.json is not a saved load test run/);
    assert.strictEqual(parseRun(JSON.stringify(run), 'r.json').levels.length, 1);
  });

  it('notes, the same for the CLI and the panel: cancel, late sends with the generator\'s share, error messages with counts', () => {
    const level = (label: string, sendLag: number, generatorLag: number) => ({
      label, errors: { total: 2, byKind: { 'http-5xx': 2 }, byStatus: { 503: 2 }, messages: { 'http-5xx': 'Servable not found' } },
      sendLagMs: { p50Ms: 0, p99Ms: sendLag }, generatorLagMs: { p50Ms: 0, p99Ms: generatorLag },
      latencyMs: { count: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 }, requestsPerSecond: 0, examplesPerSecond: 0, stable: false, end: 'duration',
    });
    const run = { format: RUN_FORMAT, mode: 'open', cancelled: true, target: { url: 'u', model: 'm', protocol: 'rest' }, source: { description: 'd' }, levels: [level('100 req/s', 0.4, 0.3), level('200 req/s', 12, 7.5)] } as unknown as LoadTestRun;
    const notes = runNotes(run);
    assert.deepStrictEqual(notes, [
      'Cancelled: only the levels that finished are shown.',
      '200 req/s: 1 % of requests left 12.0 ms or more after their scheduled time. Waiting for a free connection counts in the latency; the generator\'s own lateness (p99 7.50 ms: this machine was busy) does not.',
      '100 req/s: 2 × http-5xx: Servable not found',
      '200 req/s: 2 × http-5xx: Servable not found',
    ]);
    const text = runToText(run);
    for (const n of notes) assert.ok(text.includes(n), n);
  });
});
