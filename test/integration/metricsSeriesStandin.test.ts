// Rates computed in the extension from direct scrapes of the stand-in TF Serving server (the path used when no
// Prometheus runs): two real scrapes around real requests.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { dashboardFromPoints } from '../../src/core/monitoring/dashboardModel';
import { MetricsSeries, scrapeFromText } from '../../src/core/monitoring/metricsSeries';
import { REPO, tempDir } from './prometheusBinaries';
import { startStandin, type StandinProcess } from './monitorStandinProcess';

describe('metrics series from direct scrapes of the stand-in server', function () {
  this.timeout(60_000);
  let standin: StandinProcess;
  let modelRoot: string;

  before(async function () {
    this.timeout(120_000);
    modelRoot = tempDir('model');
    fs.cpSync(path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu'), path.join(modelRoot, 'hpt'), { recursive: true });
    standin = await startStandin('hpt', path.join(modelRoot, 'hpt'), '/metrics/prom');
  });
  after(async () => {
    await standin?.stop();
    fs.rmSync(modelRoot, { recursive: true, force: true });
  });

  it('request rate, error rate and latency between two scrapes match the requests sent', async () => {
    const scrape = async () => {
      const r = await fetch(standin.restUrl + standin.metricsPath);
      assert.strictEqual(r.status, 200);
      return scrapeFromText(await r.text(), Date.now());
    };
    const post = (body: unknown) => fetch(`${standin.restUrl}/v1/models/hpt:predict`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.status);
    assert.strictEqual(await post({ instances: [1.0] }), 200); // the OK series exists before the first scrape
    const series = new MetricsSeries();
    assert.strictEqual(series.add(await scrape()), undefined);
    for (let i = 0; i < 8; i++) assert.strictEqual(await post({ instances: [1.0, 2.0, i] }), 200);
    for (let i = 0; i < 2; i++) assert.strictEqual(await post({ instance: [1.0] }), 400);
    await new Promise((r) => setTimeout(r, 50));
    const p = series.add(await scrape())!;
    const [m] = p.models;
    assert.strictEqual(m.model, 'hpt');
    // Exact counts: increase × interval; the INVALID_ARGUMENT series is new, counted from 0.
    assert.ok(Math.abs(m.requestRate * p.intervalSeconds - 10) < 1e-9, String(m.requestRate * p.intervalSeconds));
    assert.ok(Math.abs(m.errorRate * p.intervalSeconds - 2) < 1e-9);
    assert.deepStrictEqual(Object.keys(m.errorsByStatus), ['INVALID_ARGUMENT']);
    assert.ok(m.latencyMs && m.latencyMs.p50 > 0 && m.latencyMs.p50 <= m.latencyMs.p90 && m.latencyMs.p90 <= m.latencyMs.p99, JSON.stringify(m.latencyMs));
    const loads = series.loads();
    assert.strictEqual(loads.length, 1);
    assert.deepStrictEqual([loads[0].model, loads[0].version, loads[0].successes, loads[0].failures], ['hpt', '123', 1, 0]);
    assert.ok(loads[0].loadMillis! > 0);
    const d = dashboardFromPoints(series.points(), loads);
    assert.deepStrictEqual(d.charts[0].data[1], [m.requestRate]);
  });
});
