// The load-test engine against real HTTP servers on 127.0.0.1: statistics on injected delays with known
// percentiles, the open loop showing a stall a closed loop hides, cancel, and every error kind counted.
import * as assert from 'assert';
import * as net from 'net';
import { runLoadTest } from '../../src/core/loadtest/loadTest';
import { loadTestPlan, type LoadTestOptions } from '../../src/core/loadtest/loadTestPlan';
import { requestsFromBody } from '../../src/core/loadtest/requestSource';
import { startTestServer, TF_ERROR_400, TF_ERROR_503, type ServerBehaviour, type TestServer } from './loadTestServer';

const BODY = requestsFromBody('{"instances": [1.0, 2.0, 5.0]}', 'body.json');

async function withServer<T>(b: ServerBehaviour, fn: (s: TestServer) => Promise<T>): Promise<T> {
  const s = await startTestServer(b);
  try { return await fn(s); } finally { await s.close(); }
}

function run(url: string, options: LoadTestOptions, signal?: AbortSignal) {
  return runLoadTest({ target: { restUrl: url, model: 'hpt' }, plan: loadTestPlan({ warmupTime: '0', ...options }), requests: BODY, signal });
}

describe('load test engine on a real local server', function () {
  this.timeout(60_000);

  it('percentiles of injected delays: 80 % at 20 ms, 20 % at 80 ms', async () => {
    // Every fifth request is slow: p50 and p75 sit at 20 ms, p90, p95 and p99 at 80 ms. Timers only add delay, so
    // each figure is at least its injected value and within a loaded machine's scheduling slack above it.
    const r = await withServer({ delayMs: (n) => (n % 5 === 4 ? 80 : 20) }, (s) => run(s.url, { concurrency: '1', requests: '100' }));
    const l = r.levels[0];
    assert.strictEqual(l.requests, 100);
    assert.strictEqual(l.ok, 100);
    assert.strictEqual(l.end, 'requests');
    // Below 80 − 20 ms, so p50 still tells the fast mode from the slow one on a machine at load 12.
    const slack = 45;
    for (const [name, v, want] of [['p50', l.latencyMs.p50Ms, 20], ['p90', l.latencyMs.p90Ms, 80], ['p95', l.latencyMs.p95Ms, 80]] as const) {
      assert.ok(v >= want * 0.999 && v <= want + slack, `${name} ${v} ms, injected ${want} ms`);
    }
    // p99 and max of 100 answers are the two largest: one scheduling hiccup of a loaded machine moves them, so
    // only their floor is exact.
    assert.ok(l.latencyMs.p99Ms >= 80 * 0.999 && l.latencyMs.maxMs >= l.latencyMs.p99Ms, `p99 ${l.latencyMs.p99Ms}, max ${l.latencyMs.maxMs}`);
    // Mean of the injected delays is 32 ms.
    assert.ok(l.latencyMs.meanMs >= 32 && l.latencyMs.meanMs <= 32 + slack, `mean ${l.latencyMs.meanMs}`);
    assert.ok(l.requestsPerSecond > 0 && l.requestsPerSecond <= 1000 / 32 + 1, `throughput ${l.requestsPerSecond}`);
  });

  it('a concurrency sweep runs each level, with throughput growing with concurrency on a delay-bound server', async () => {
    const r = await withServer({ delayMs: () => 20 }, (s) => run(s.url, { concurrency: '1,4', duration: '1s', window: '500ms' }));
    assert.deepStrictEqual(r.levels.map((l) => l.level), [1, 4]);
    assert.ok(r.levels.every((l) => l.end === 'duration' && l.windows === 2 && Math.abs(l.durationSeconds - 1) < 0.1), JSON.stringify(r.levels.map((l) => [l.end, l.windows, l.durationSeconds])));
    // 20 ms per answer: about 50/s at 1, 200/s at 4.
    assert.ok(r.levels[0].requestsPerSecond <= 51, String(r.levels[0].requestsPerSecond));
    assert.ok(r.levels[1].requestsPerSecond > 2.5 * r.levels[0].requestsPerSecond, `${r.levels[1].requestsPerSecond} vs ${r.levels[0].requestsPerSecond}`);
  });

  it('open loop at a fixed rate shows a server stall in p99; a closed loop at concurrency 1 hides it', async () => {
    // A 600 ms stall 1 s into a 3 s run at 50 req/s: ~30 scheduled requests wait for it, about 20 % of the
    // run, so the open loop's p90 and p99 carry it. The closed loop sends one request that waits, out of ~300.
    let stallAt = 0;
    const behaviour: ServerBehaviour = { delayMs: () => 2, stallUntil: () => (stallAt && Date.now() >= stallAt ? stallAt + 600 : 0) };
    const open = await withServer(behaviour, async (s) => {
      stallAt = Date.now() + 1000;
      return run(s.url, { rate: '50', duration: '3s', window: '1s' });
    });
    stallAt = 0;
    const closed = await withServer(behaviour, async (s) => {
      stallAt = Date.now() + 1000;
      return run(s.url, { concurrency: '1', duration: '3s', window: '1s' });
    });
    const o = open.levels[0];
    const c = closed.levels[0];
    // The rate holds whatever the server does: 50 per measured second (a late window timer measures a little longer).
    assert.ok(o.durationSeconds >= 2.9 && Math.abs(o.requests - 50 * o.durationSeconds) <= 5, `open loop sent ${o.requests} in ${o.durationSeconds} s at 50/s`);
    assert.ok(o.latencyMs.p99Ms >= 400, `open-loop p99 ${o.latencyMs.p99Ms} ms should show the 600 ms stall`);
    assert.ok(o.latencyMs.p90Ms >= 100, `open-loop p90 ${o.latencyMs.p90Ms} ms`);
    assert.ok(c.latencyMs.maxMs >= 550, `closed-loop max ${c.latencyMs.maxMs} ms (one request waited)`);
    assert.ok(c.latencyMs.p99Ms < 100, `closed-loop p99 ${c.latencyMs.p99Ms} ms hides the stall`);
  });

  it('open-loop arrivals: evenly spaced by default, exponential gaps of the same mean with Poisson', async () => {
    // 50 req/s for 4 s, arrival times taken at the server. Gaps below half the mean (10 ms): about none when evenly
    // spaced (only behind a timer late by 10 ms), 1 − e^−0.5 ≈ 39 % for exponential gaps (±3.4 % over 200 gaps).
    const arrivalsOf = async (arrivals?: string) => {
      const at: number[] = [];
      const r = await withServer({ delayMs: () => { at.push(performance.now()); return 1; } }, (s) => run(s.url, { rate: '50', duration: '4s', window: '1s', ...(arrivals ? { arrivals } : {}) }));
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      return { level: r.levels[0], short: gaps.filter((g) => g < 10).length / gaps.length, meanGap: gaps.reduce((a, b) => a + b, 0) / gaps.length };
    };
    const even = await arrivalsOf();
    const poisson = await arrivalsOf('poisson');
    assert.strictEqual(even.level.label, '50 req/s');
    assert.strictEqual(poisson.level.label, '50 req/s (Poisson)');
    assert.ok(even.short < 0.1, `evenly spaced: ${(even.short * 100).toFixed(1)} % of gaps under 10 ms`);
    assert.ok(poisson.short > 0.25 && poisson.short < 0.55, `Poisson: ${(poisson.short * 100).toFixed(1)} % of gaps under 10 ms, expected about 39 %`);
    for (const [name, x] of [['even', even], ['Poisson', poisson]] as const) {
      assert.ok(Math.abs(x.meanGap - 20) < 4, `${name}: mean gap ${x.meanGap.toFixed(2)} ms at 50 req/s`);
      assert.ok(Math.abs(x.level.requestsPerSecond - 50) < 10, `${name}: ${x.level.requestsPerSecond} req/s`);
    }
  });

  it('cancel stops at once and closes every connection', async () => {
    await withServer({ delayMs: () => 5 }, async (s) => {
      const ac = new AbortController();
      const pending = run(s.url, { concurrency: '1,8', duration: '20s' }, ac.signal);
      let abortedAt = 0;
      setTimeout(() => { abortedAt = Date.now(); ac.abort(); }, 400);
      const r = await pending;
      const took = Date.now() - abortedAt;
      assert.ok(abortedAt > 0 && took < 200, `ended ${took} ms after the cancel`);
      assert.strictEqual(r.cancelled, true);
      assert.deepStrictEqual(r.levels, []);
      // The server runs in this process: a request written just before the cancel is read by it a turn later.
      const sent = s.received();
      await new Promise((res) => setTimeout(res, 50));
      const atCancel = s.received();
      assert.ok(atCancel - sent <= 1, `at most the one request on the wire arrived after the cancel (${atCancel - sent})`);
      await new Promise((res) => setTimeout(res, 200));
      assert.strictEqual(s.received(), atCancel, 'no request after cancel');
      assert.strictEqual(s.openSockets(), 0, 'every connection closed');
    });
  });

  it('cancel of an open loop stops its schedule at once, with requests held by a hung server', async () => {
    await withServer({ hang: true }, async (s) => {
      const ac = new AbortController();
      const pending = run(s.url, { rate: '100', duration: '20s' }, ac.signal);
      await new Promise((res) => setTimeout(res, 500));
      const held = s.received();
      assert.ok(held >= 20, `about 50 requests sent in 0.5 s (got ${held})`);
      const t = Date.now();
      ac.abort();
      const r = await pending;
      assert.ok(Date.now() - t < 200, `ended ${Date.now() - t} ms after cancel`);
      assert.strictEqual(r.cancelled, true);
      // A request written just before the cancel may reach the server (in this process) just after `held` was read.
      await new Promise((res) => setTimeout(res, 50));
      const atCancel = s.received();
      assert.ok(atCancel - held <= 1, `at most the request on the wire arrived after the cancel (${atCancel - held})`);
      await new Promise((res) => setTimeout(res, 200));
      assert.strictEqual(s.received(), atCancel, 'nothing scheduled after cancel was sent');
      assert.strictEqual(s.openSockets(), 0, 'every held connection closed');
    });
  });

  it('counts 4xx and 5xx answers by kind and status, with TF Serving\'s error message', async () => {
    // Of every 10 requests: 2 answered 400, 1 answered 503, 7 OK; chunked answers, as a real server may send.
    const r = await withServer({ status: (n) => (n % 10 < 2 ? 400 : n % 10 === 2 ? 503 : 200), chunked: true }, (s) => run(s.url, { concurrency: '2', requests: '200' }));
    const l = r.levels[0];
    assert.strictEqual(l.requests, 200);
    assert.strictEqual(l.errors.byKind['http-4xx'], 40);
    assert.strictEqual(l.errors.byKind['http-5xx'], 20);
    assert.deepStrictEqual(l.errors.byStatus, { 400: 40, 503: 20 });
    assert.strictEqual(l.errors.total, 60);
    assert.strictEqual(l.ok, 140);
    assert.strictEqual(l.errors.messages['http-4xx'], TF_ERROR_400);
    assert.strictEqual(l.errors.messages['http-5xx'], TF_ERROR_503);
  });

  it('counts timeouts of a server that never answers', async () => {
    const r = await withServer({ hang: true }, (s) => run(s.url, { concurrency: '3', duration: '1s', window: '1s', timeout: '300ms' }));
    const l = r.levels[0];
    assert.strictEqual(l.ok, 0);
    // Three connections, each timing out every 300 ms over 1 s: 9, fewer when a loaded machine runs the timers late.
    assert.ok(l.errors.byKind.timeout! >= 3 && l.errors.byKind.timeout! <= 12, JSON.stringify(l.errors));
    assert.strictEqual(l.errors.total, l.errors.byKind.timeout);
    assert.match(l.errors.messages.timeout!, /no answer within 300 ms/);
  });

  it('counts refused connections when nothing listens', async () => {
    const port = await new Promise<number>((res) => { const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => res(p)); }); });
    const r = await run(`http://127.0.0.1:${port}`, { concurrency: '2', requests: '50' });
    const l = r.levels[0];
    assert.strictEqual(l.requests, 50);
    assert.strictEqual(l.errors.byKind['connection-refused'], 50);
    assert.strictEqual(l.ok, 0);
    assert.match(l.errors.messages['connection-refused']!, /ECONNREFUSED/);
  });
});
