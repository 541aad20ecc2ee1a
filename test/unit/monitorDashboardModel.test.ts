import * as assert from 'assert';
import { alignLines, dashboardFromPoints, dashboardFromRanges } from '../../src/core/monitoring/dashboardModel';
import { MetricsSeries, scrapeFromText } from '../../src/core/monitoring/metricsSeries';

function page(ok: number, errors: number, latencyBuckets: [string, number][]): string {
  return [
    '# TYPE :tensorflow:serving:request_count counter',
    `:tensorflow:serving:request_count{model_name="hpt",status="OK"} ${ok}`,
    `:tensorflow:serving:request_count{model_name="hpt",status="INVALID_ARGUMENT"} ${errors}`,
    '# TYPE :tensorflow:serving:request_latency histogram',
    ...latencyBuckets.map(([le, c]) => `:tensorflow:serving:request_latency_bucket{model_name="hpt",API="predict",entrypoint="REST",le="${le}"} ${c}`),
    '# TYPE :tensorflow:cc:saved_model:load_latency counter',
    ':tensorflow:cc:saved_model:load_latency{model_path="/models/hpt/00000123"} 2500',
    '',
  ].join('\n');
}

describe('dashboard model (chart-ready data)', () => {
  it('aligns lines on one x axis, null where a line has no value or a non-finite one', () => {
    assert.deepStrictEqual(alignLines([
      { label: 'a', points: [{ t: 1, v: 1 }, { t: 3, v: NaN }] },
      { label: 'b', points: [{ t: 2, v: 5 }, { t: 3, v: 6 }] },
    ]), [[1, 2, 3], [1, null, null], [null, 5, 6]]);
  });

  it('turns scrape points into request, error and latency charts (ms), loads and notes', () => {
    const s = new MetricsSeries();
    s.add(scrapeFromText(page(0, 0, [['100', 0], ['1000', 0], ['+Inf', 0]]), 10_000));
    s.add(scrapeFromText(page(10, 2, [['100', 10], ['1000', 12], ['+Inf', 12]]), 12_000));
    s.add(scrapeFromText(page(10, 2, [['100', 10], ['1000', 12], ['+Inf', 12]]), 14_000));
    const d = dashboardFromPoints(s.points(), s.loads(), [{ model: 'hpt', version: '123', state: 'AVAILABLE' }]);
    assert.deepStrictEqual(d.charts.map((c) => [c.id, c.unit, c.series.map((x) => x.label)]), [
      ['requests', 'req/s', ['hpt']],
      ['errors', 'req/s', ['hpt']],
      ['latency', 'ms', ['hpt p50', 'hpt p90', 'hpt p99']],
    ]);
    assert.deepStrictEqual(d.charts[0].data, [[12, 14], [6, 0]]);
    assert.deepStrictEqual(d.charts[1].data, [[12, 14], [1, 0]]);
    // 12 observations: 10 in (0, 100] µs, 2 in (100, 1000] µs; p50 = rank 6 → 60 µs = 0.06 ms; no data in the 2nd interval.
    assert.deepStrictEqual(d.charts[2].data[1], [0.06, null]);
    assert.deepStrictEqual(d.loads, [{ model: 'hpt', version: '123', loadMillis: 2.5, failures: 0 }]);
    assert.deepStrictEqual(d.versions, [{ model: 'hpt', version: '123', state: 'AVAILABLE' }]);
    assert.deepStrictEqual(d.notes, []);
    assert.deepStrictEqual(dashboardFromPoints([], []).notes, ['Collecting: rates appear after the second scrape.']);
  });

  it('notes a restart and adds batching charts only when the server batches', () => {
    const s = new MetricsSeries();
    const batching = (runs: number) => `# TYPE :tensorflow:serving:batching_session:wrapped_run_count counter\n:tensorflow:serving:batching_session:wrapped_run_count ${runs}\n`;
    s.add(scrapeFromText(page(50, 0, [['100', 50], ['+Inf', 50]]) + batching(20), 0));
    s.add(scrapeFromText(page(4, 0, [['100', 4], ['+Inf', 4]]) + batching(2), 2_000));
    const d = dashboardFromPoints(s.points(), []);
    assert.deepStrictEqual(d.charts.map((c) => c.id), ['requests', 'errors', 'latency', 'batches']);
    assert.deepStrictEqual(d.charts[3].data, [[2], [1]]);
    assert.match(d.notes[0], /^The server restarted shortly before 00:00:02 UTC/);
  });

  it('turns query_range answers into the same charts, latency µs → ms, missing error series as 0', () => {
    const pts = (vs: number[]) => vs.map((v, i) => ({ timeSeconds: 100 + i, value: v }));
    const d = dashboardFromRanges({
      requestRate: [{ metric: { model_name: 'b' }, points: pts([1, 2]) }, { metric: { model_name: 'a' }, points: pts([3, 4]) }],
      errorRate: [{ metric: { model_name: 'a' }, points: pts([0.5, 0]) }],
      latency: { p99: [{ metric: { model_name: 'a' }, points: pts([1500, NaN]) }] },
      batchesPerSecond: [],
    }, []);
    assert.deepStrictEqual(d.charts.map((c) => c.id), ['requests', 'errors', 'latency']);
    assert.deepStrictEqual(d.charts[0].series.map((x) => x.label), ['a', 'b']);
    assert.deepStrictEqual(d.charts[0].data, [[100, 101], [3, 4], [1, 2]]);
    assert.deepStrictEqual(d.charts[1].data, [[100, 101], [0.5, 0], [0, 0]]);
    assert.deepStrictEqual(d.charts[2].data, [[100, 101], [1.5, null]]);
    assert.deepStrictEqual(dashboardFromRanges({ requestRate: [], errorRate: [], latency: {} }, []).notes, ['No requests in this window yet.']);
  });
});
