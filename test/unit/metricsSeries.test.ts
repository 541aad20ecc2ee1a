import * as assert from 'assert';
import { histogramQuantile, sumBuckets } from '../../src/core/monitoring/histogramQuantile';
import { MetricsSeries, metricsPoint, modelLoads, scrapeFromText } from '../../src/core/monitoring/metricsSeries';
import { LATENCY_BUCKET_LIMITS_US, modelPathParts } from '../../src/core/monitoring/tfServingMetricNames';

const INF = Infinity;

/** A TF Serving page: request_count per (model, status) and request_latency observations per model, in µs. */
function page(counts: Record<string, Record<string, number>>, latencies: Record<string, number[]> = {}, extra = ''): string {
  const lines = ['# TYPE :tensorflow:serving:request_count counter'];
  for (const [model, byStatus] of Object.entries(counts)) {
    for (const [status, n] of Object.entries(byStatus)) lines.push(`:tensorflow:serving:request_count{model_name="${model}",status="${status}"} ${n}`);
  }
  lines.push('# TYPE :tensorflow:serving:request_latency histogram');
  for (const [model, obs] of Object.entries(latencies)) {
    const l = `model_name="${model}",API="predict",entrypoint="REST"`;
    let cum = 0;
    LATENCY_BUCKET_LIMITS_US.forEach((lim, i) => {
      cum = obs.filter((o) => o < lim).length;
      lines.push(`:tensorflow:serving:request_latency_bucket{${l},le="${Number(lim.toPrecision(6))}"} ${cum}`);
      void i;
    });
    lines.push(`:tensorflow:serving:request_latency_bucket{${l},le="+Inf"} ${obs.length}`);
    lines.push(`:tensorflow:serving:request_latency_sum{${l}} ${obs.reduce((a, b) => a + b, 0)}`);
    lines.push(`:tensorflow:serving:request_latency_count{${l}} ${obs.length}`);
  }
  return lines.join('\n') + '\n' + extra;
}

describe('histogram_quantile (Prometheus semantics)', () => {
  const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));

  it('interpolates linearly inside the bucket where the rank falls, the first bucket starting at 0', () => {
    const h = b([[1, 10], [2, 30], [4, 40], [INF, 40]]);
    assert.strictEqual(histogramQuantile(0.25, h), 1); // rank 10 = end of the first bucket
    assert.strictEqual(histogramQuantile(0.125, h), 0.5); // rank 5: half of [0, 1]
    assert.strictEqual(histogramQuantile(0.5, h), 1.5); // rank 20: half of [1, 2]
    assert.strictEqual(histogramQuantile(0.875, h), 3); // rank 35: half of [2, 4]
    assert.strictEqual(histogramQuantile(1, h), 4);
  });

  it('answers the highest finite bound when the rank falls in +Inf', () => {
    assert.strictEqual(histogramQuantile(0.99, b([[1, 1], [2, 2], [INF, 100]])), 2);
  });

  it('answers NaN without observations, without a +Inf bucket or with fewer than 2 buckets; ±Inf outside [0, 1]', () => {
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 0], [INF, 0]]))));
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[1, 1], [2, 2]]))));
    assert.ok(Number.isNaN(histogramQuantile(0.5, b([[INF, 3]]))));
    assert.ok(Number.isNaN(histogramQuantile(NaN, b([[1, 1], [INF, 1]]))));
    assert.strictEqual(histogramQuantile(-0.1, b([[1, 1], [INF, 1]])), -INF);
    assert.strictEqual(histogramQuantile(1.1, b([[1, 1], [INF, 1]])), INF);
  });

  it('returns the first bound when it is ≤ 0 and the rank falls there', () => {
    assert.strictEqual(histogramQuantile(0.1, b([[-1, 5], [0, 6], [INF, 10]])), -1);
  });

  it('sorts buckets, merges equal bounds and repairs non-monotonic counts', () => {
    assert.strictEqual(histogramQuantile(0.5, b([[INF, 40], [2, 30], [1, 10], [4, 40]])), 1.5);
    // 2 → 8 then down to 6: treated as 8, so the +Inf bucket holds 10 - 8.
    assert.strictEqual(histogramQuantile(0.5, b([[1, 2], [2, 8], [3, 6], [INF, 10]])), 1 + (5 - 2) / 6);
    assert.deepStrictEqual(sumBuckets([b([[1, 1], [INF, 2]]), b([[1, 3], [2, 4], [INF, 5]])]), b([[1, 4], [2, 4], [INF, 7]]));
  });
});

describe('metrics series from successive scrapes', () => {
  it('computes request and error rates per model over the interval', () => {
    const a = scrapeFromText(page({ hpt: { OK: 10, INVALID_ARGUMENT: 1 }, resnet: { OK: 5 } }), 1_000);
    const b = scrapeFromText(page({ hpt: { OK: 30, INVALID_ARGUMENT: 5, NOT_FOUND: 2 }, resnet: { OK: 5 } }), 5_000);
    const p = metricsPoint(a, b);
    assert.strictEqual(p.intervalSeconds, 4);
    assert.strictEqual(p.reset, false);
    assert.deepStrictEqual(p.models, [
      // (20 OK + 4 INVALID_ARGUMENT + 2 NOT_FOUND, a new series counted from 0) / 4 s
      { model: 'hpt', requestRate: 26 / 4, errorRate: 6 / 4, errorsByStatus: { INVALID_ARGUMENT: 1, NOT_FOUND: 0.5 } },
      { model: 'resnet', requestRate: 0, errorRate: 0, errorsByStatus: {} },
    ]);
  });

  it('takes latency percentiles from the bucket increases only (what happened in the interval)', () => {
    const early = [12, 13, 14, 15]; // fast requests before the first scrape, all in the (10, 18] µs bucket
    const later = [200, 250, 300, 320]; // slower ones between the scrapes, all in the (188.957, 340.122] µs bucket
    const a = scrapeFromText(page({ hpt: { OK: 4 } }, { hpt: early }), 0);
    const b = scrapeFromText(page({ hpt: { OK: 8 } }, { hpt: [...early, ...later] }), 2_000);
    const { latencyMs } = metricsPoint(a, b).models[0];
    const lo = 188.957, hi = 340.122; // the bucket holding every new observation
    assert.ok(latencyMs);
    assert.ok(Math.abs(latencyMs.p50 - (lo + (hi - lo) * 0.5) / 1000) < 1e-12, String(latencyMs.p50));
    assert.ok(Math.abs(latencyMs.p90 - (lo + (hi - lo) * 0.9) / 1000) < 1e-12);
    assert.ok(Math.abs(latencyMs.p99 - (lo + (hi - lo) * 0.99) / 1000) < 1e-12);
  });

  it('has no latency for a model without requests in the interval', () => {
    const a = scrapeFromText(page({ hpt: { OK: 4 } }, { hpt: [50, 60, 70, 80] }), 0);
    const b = scrapeFromText(page({ hpt: { OK: 4 } }, { hpt: [50, 60, 70, 80] }), 1_000);
    assert.deepStrictEqual(metricsPoint(a, b).models, [{ model: 'hpt', requestRate: 0, errorRate: 0, errorsByStatus: {} }]);
  });

  it('handles a counter reset (restarted server) by counting the new value, as rate() does', () => {
    const a = scrapeFromText(page({ hpt: { OK: 1000 } }, { hpt: new Array(1000).fill(5000) }), 0);
    const b = scrapeFromText(page({ hpt: { OK: 6 } }, { hpt: [100, 100, 100, 100, 100, 100] }), 3_000);
    const p = metricsPoint(a, b);
    assert.strictEqual(p.reset, true);
    assert.strictEqual(p.models[0].requestRate, 2);
    // After a reset the buckets are the new server's, not differences against the old one (which would be negative).
    const q = p.models[0].latencyMs!;
    assert.ok(q.p50 > 0.058 && q.p50 < 0.105, String(q.p50)); // inside the (58.32, 104.976] µs bucket
  });

  it('reports batching when the server batches: queueing percentiles, batches/s, mean batch size', () => {
    const batching = (runs: number, queued: [number, number][], sizeSum: number, sizeCount: number) => [
      '# TYPE :tensorflow:serving:batching_session:queuing_latency histogram',
      ...queued.map(([le, c]) => `:tensorflow:serving:batching_session:queuing_latency_bucket{thread_pool_name="model_batch",le="${le === INF ? '+Inf' : le}"} ${c}`),
      `:tensorflow:serving:batching_session:queuing_latency_sum{thread_pool_name="model_batch"} 0`,
      `:tensorflow:serving:batching_session:queuing_latency_count{thread_pool_name="model_batch"} ${queued[queued.length - 1][1]}`,
      '# TYPE :tensorflow:serving:batching_session:wrapped_run_count counter',
      `:tensorflow:serving:batching_session:wrapped_run_count ${runs}`,
      '# TYPE :tensorflow:serving:batching:batch_size histogram',
      `:tensorflow:serving:batching:batch_size_bucket{model_name="hpt",op_name="b",le="+Inf"} ${sizeCount}`,
      `:tensorflow:serving:batching:batch_size_sum{model_name="hpt",op_name="b"} ${sizeSum}`,
      `:tensorflow:serving:batching:batch_size_count{model_name="hpt",op_name="b"} ${sizeCount}`,
      '',
    ].join('\n');
    const a = scrapeFromText(page({}, {}, batching(10, [[100, 0], [1000, 4], [INF, 4]], 40, 10)), 0);
    const b = scrapeFromText(page({}, {}, batching(30, [[100, 10], [1000, 14], [INF, 14]], 200, 30)), 10_000);
    const p = metricsPoint(a, b);
    assert.strictEqual(p.batching?.batchesPerSecond, 2);
    assert.strictEqual(p.batching?.meanBatchSize, 8); // (200 - 40) / (30 - 10)
    // 10 new observations, all in (0, 100] µs: p50 = 50 µs
    assert.strictEqual(p.batching?.queuingLatencyMs?.p50, 0.05);
    assert.strictEqual(metricsPoint(scrapeFromText(page({}), 0), scrapeFromText(page({}), 1)).batching, undefined);
  });

  it('reads model load latency and attempts, with model and version from the path', () => {
    const s = scrapeFromText([
      '# TYPE :tensorflow:cc:saved_model:load_attempt_count counter',
      ':tensorflow:cc:saved_model:load_attempt_count{model_path="/models/hpt/00000123",status="success"} 1',
      ':tensorflow:cc:saved_model:load_attempt_count{model_path="/models/hpt/00000124",status="fail"} 2',
      '# TYPE :tensorflow:cc:saved_model:load_latency counter',
      ':tensorflow:cc:saved_model:load_latency{model_path="/models/hpt/00000123"} 48211',
      '',
    ].join('\n'), 0);
    assert.deepStrictEqual(modelLoads(s), [
      { modelPath: '/models/hpt/00000123', model: 'hpt', version: '123', loadMillis: 48.211, successes: 1, failures: 0 },
      { modelPath: '/models/hpt/00000124', model: 'hpt', version: '124', successes: 0, failures: 2 },
    ]);
    assert.deepStrictEqual(modelPathParts('gs://bucket/m/7/'), { model: 'm', version: '7' });
    assert.deepStrictEqual(modelPathParts('/models/hpt'), {});
  });

  it('MetricsSeries keeps a bounded window and ignores out-of-order scrapes', () => {
    const series = new MetricsSeries(3);
    assert.strictEqual(series.add(scrapeFromText(page({ m: { OK: 0 } }), 0)), undefined);
    for (let i = 1; i <= 5; i++) assert.ok(series.add(scrapeFromText(page({ m: { OK: i * 10 } }), i * 1000)));
    assert.strictEqual(series.add(scrapeFromText(page({ m: { OK: 999 } }), 4500)), undefined);
    assert.deepStrictEqual(series.points().map((p) => [p.timeMs, p.models[0].requestRate]), [[3000, 10], [4000, 10], [5000, 10]]);
    assert.strictEqual(series.latest()?.timeMs, 5000);
    assert.throws(() => metricsPoint(scrapeFromText('', 10), scrapeFromText('', 10)), /time order/);
  });
});
