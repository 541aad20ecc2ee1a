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
    const slack = 25;
    for (const [name, v, want] of [['p50', l.latencyMs.p50Ms, 20], ['p90', l.latencyMs.p90Ms, 80], ['p95', l.latencyMs.p95Ms, 80], ['p99', l.latencyMs.p99Ms, 80]] as const) {
      assert.ok(v >= want * 0.999 && v <= want + slack, `${name} ${v} ms, injected ${want} ms`);
    }
    assert.ok(l.latencyMs.maxMs >= 80 && l.latencyMs.maxMs <= 80 + 3 * slack, `max ${l.latencyMs.maxMs}`);
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
    assert.ok(o.requests >= 140 && o.requests <= 160, `open loop sent ${o.requests} in 3 s at 50/s`);
    assert.ok(o.latencyMs.p99Ms >= 400, `open-loop p99 ${o.latencyMs.p99Ms} ms should show the 600 ms stall`);
    assert.ok(o.latencyMs.p90Ms >= 100, `open-loop p90 ${o.latencyMs.p90Ms} ms`);
    assert.ok(c.latencyMs.maxMs >= 550, `closed-loop max ${c.latencyMs.maxMs} ms (one request waited)`);
    assert.ok(c.latencyMs.p99Ms < 100, `closed-loop p99 ${c.latencyMs.p99Ms} ms hides the stall`);
  });

  it('cancel stops at once and closes every connection', async () => {
    await withServer({ delayMs: () => 5 }, async (s) => {
      const ac = new AbortController();
      const started = Date.now();
      const pending = run(s.url, { concurrency: '1,8', duration: '20s' }, ac.signal);
      setTimeout(() => ac.abort(), 400);
      const r = await pending;
      const took = Date.now() - started;
      assert.ok(took < 400 + 200, `took ${took} ms after a cancel at 400 ms`);
      assert.strictEqual(r.cancelled, true);
      assert.deepStrictEqual(r.levels, []);
      const sent = s.received();
      await new Promise((res) => setTimeout(res, 200));
      assert.strictEqual(s.received(), sent, 'no request after cancel');
      assert.strictEqual(s.openSockets(), 0, 'every connection closed');
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
    // Three connections, each timing out every 300 ms over 1 s: 9 (a tenth second of slack either way).
    assert.ok(l.errors.byKind.timeout! >= 6 && l.errors.byKind.timeout! <= 12, JSON.stringify(l.errors));
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
