// A real Prometheus (Debian's binary) scraping the stand-in TF Serving server run as a Node process, configured by
// our writer, queried by our client with the panel's PromQL; answers checked against the page the target exposed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { histogramSeries, parseExposition } from '../../src/core/monitoring/expositionParser';
import { histogramQuantile, sumBuckets } from '../../src/core/monitoring/histogramQuantile';
import { modelLoads, modelLoadsFromPrometheus, scrapeFromText } from '../../src/core/monitoring/metricsSeries';
import { panelQueries } from '../../src/core/monitoring/panelQueries';
import { PrometheusApiClient, PrometheusApiError } from '../../src/core/monitoring/prometheusApiClient';
import { prometheusConfigText } from '../../src/core/monitoring/prometheusConfigWriter';
import * as M from '../../src/core/monitoring/tfServingMetricNames';
import { REPO, startPrometheus, tempDir, type RunningPrometheus } from './prometheusBinaries';
import { freePorts, startStandin, type StandinProcess } from './monitorStandinProcess';
import { until } from './until';

const JOB = 'tfserving-it';
const MODEL = 'hpt';

describe('Prometheus API client against a real Prometheus scraping the stand-in server', function () {
  this.timeout(90_000);
  let standin: StandinProcess;
  let prom: RunningPrometheus;
  let client: PrometheusApiClient;
  let cfgDir: string;
  let modelRoot: string;
  let page = '';

  before(async function () {
    this.timeout(120_000);
    // Laid out as in a container (<base>/hpt/00000123), so the load latency's model_path names the model.
    modelRoot = tempDir('model');
    const modelDir = path.join(modelRoot, MODEL);
    fs.cpSync(path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu'), modelDir, { recursive: true });
    standin = await startStandin(MODEL, modelDir);
    cfgDir = tempDir('promcfg');
    const cfg = path.join(cfgDir, 'prometheus.yml');
    fs.writeFileSync(cfg, await prometheusConfigText({
      target: `127.0.0.1:${standin.restPort}`, jobName: JOB, scrapeInterval: '1s',
      externalLabels: { monitor: 'tfserving-studio' }, targetLabels: { server: 'standin' },
    }));
    const [port] = await freePorts(1);
    prom = await startPrometheus(cfg, port);
    client = new PrometheusApiClient(prom.url);

    // rate() counts increases of a series it has already seen, so the requests come in two rounds with a scrape
    // between them: 1 prediction + 1 failing request (missing key → INVALID_ARGUMENT), then 6 + 1 more.
    const post = (body: unknown) => fetch(`${standin.restUrl}/v1/models/${MODEL}:predict`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.text());
    await post({ instances: [1.0] });
    await post({ wrong: [] });
    await until('both request_count series in Prometheus', async () => {
      const r = await client.query(`${M.REQUEST_COUNT}{job="${JOB}"}`);
      return r.length === 2 ? r : undefined;
    });
    for (let i = 0; i < 6; i++) await post({ instances: [1.0, 2.0, i] });
    await post({ wrong: [] });
    page = await (await fetch(standin.restUrl + standin.metricsPath)).text();
  });

  after(async () => {
    await prom?.stop();
    await standin?.stop();
    for (const d of [cfgDir, modelRoot]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is ready, and lists the target up at the metrics path the writer configured', async () => {
    assert.strictEqual(await client.ready(), true);
    const targets = await until('the first scrape', async () => {
      const t = await client.targets();
      return t.length && t[0].health === 'up' ? t : undefined;
    });
    assert.strictEqual(targets.length, 1);
    assert.strictEqual(targets[0].job, JOB);
    assert.strictEqual(targets[0].scrapeUrl, `${standin.restUrl}/monitoring/prometheus/metrics`);
    assert.strictEqual(targets[0].lastError, '');
    assert.strictEqual(targets[0].labels.server, 'standin');
  });

  it('instant query: request_count per status equals what the target exposed', async () => {
    const exposed = parseExposition(page).find((f) => f.name === M.REQUEST_COUNT)!;
    const want = Object.fromEntries(exposed.samples.map((s) => [s.labels.status, s.value]));
    assert.deepStrictEqual(want, { OK: 7, INVALID_ARGUMENT: 2 });
    const got = await until('Prometheus to store the counts', async () => {
      const r = await client.query(`${M.REQUEST_COUNT}{job="${JOB}",model_name="${MODEL}"}`);
      const m = Object.fromEntries(r.map((s) => [s.metric.status, s.value]));
      return m.OK === 7 && m.INVALID_ARGUMENT === 2 ? r : undefined;
    });
    for (const s of got) {
      assert.strictEqual(s.metric.job, JOB);
      assert.strictEqual(s.metric.instance, `127.0.0.1:${standin.restPort}`);
    }
  });

  it('histogram_quantile in Prometheus equals ours on the exposed buckets (p50, p90, p99)', async () => {
    const latency = parseExposition(page).find((f) => f.name === M.REQUEST_LATENCY)!;
    const buckets = sumBuckets(histogramSeries(latency).filter((h) => h.labels.model_name === MODEL).map((h) => h.buckets));
    assert.strictEqual(buckets[buckets.length - 1].count, 7);
    await until('the latency buckets', async () => {
      const r = await client.query(`sum(${M.REQUEST_LATENCY}_count{job="${JOB}"})`);
      return r[0]?.value === 7 ? r : undefined;
    });
    for (const q of [0.5, 0.9, 0.99]) {
      const [theirs] = await client.query(`histogram_quantile(${q}, sum by (le, model_name) (${M.REQUEST_LATENCY}_bucket{job="${JOB}"}))`);
      const ours = histogramQuantile(q, buckets);
      assert.ok(Number.isFinite(ours) && ours > 0, String(ours));
      assert.ok(Math.abs(theirs.value - ours) <= 1e-9 * ours, `q=${q}: Prometheus ${theirs.value}, ours ${ours}`);
      assert.strictEqual(theirs.metric.model_name, MODEL);
    }
  });

  it("the panel's PromQL answers: request and error rates, p99 latency, load latency, up", async () => {
    const q = panelQueries({ job: JOB });
    // rate() needs two samples inside the window after the requests: wait for them.
    const rate = await until('a request rate', async () => {
      const r = await client.query(q.requestRate);
      return r[0]?.value > 0 ? r : undefined;
    });
    assert.deepStrictEqual(rate.map((s) => s.metric), [{ model_name: MODEL }]);
    // 7 counted requests within the last minute: the extrapolated 1m rate stays within a few per second.
    assert.ok(rate[0].value > 0 && rate[0].value <= 7, String(rate[0].value));
    const errors = await until('an error rate', async () => {
      const r = await client.query(q.errorRate);
      return r[0]?.value > 0 ? r : undefined;
    });
    assert.deepStrictEqual(errors.map((s) => s.metric), [{ model_name: MODEL }]);
    assert.ok(errors[0].value < rate[0].value, `${errors[0].value} vs ${rate[0].value}`);
    const p99 = await client.query(q.latencyP99);
    assert.strictEqual(p99.length, 1);
    assert.ok(p99[0].value > 0, String(p99[0].value));

    const loads = modelLoads(scrapeFromText(page, Date.now()));
    assert.strictEqual(loads.length, 1);
    assert.strictEqual(loads[0].model, MODEL);
    assert.strictEqual(loads[0].version, '123');
    const load = await client.query(q.modelLoadLatency);
    assert.deepStrictEqual(load.map((s) => [s.metric.model_path, s.value / 1000]), [[loads[0].modelPath, loads[0].loadMillis]]);
    const up = await client.query(q.up);
    assert.strictEqual(up[0].value, 1);
    assert.deepStrictEqual(await client.query(q.batchesPerSecond), []); // no batching on this server
    // Every panel query parses and evaluates in Prometheus (a typo would come back as bad_data).
    for (const [name, expr] of Object.entries(q)) await assert.doesNotReject(client.query(expr), name);
    const attempts = await client.query(q.loadAttempts);
    assert.deepStrictEqual(attempts.map((s) => [s.metric.status, s.value]), [['success', 1]]);
    // The panel's load table is the same whether it reads the server's page or Prometheus.
    assert.deepStrictEqual(modelLoadsFromPrometheus(load, attempts), loads);
    const scoped = panelQueries({ job: JOB, instance: `127.0.0.1:${standin.restPort}`, window: '30s' });
    assert.deepStrictEqual((await client.query(scoped.up)).map((s) => s.value), [1]);
    assert.deepStrictEqual(await client.query(panelQueries({ job: 'other-job' }).up), []);
  });

  it('query_range returns the request-rate series over time', async () => {
    const series = await until('two points of the rate', async () => {
      const end = Date.now() / 1000;
      const r = await client.queryRange(panelQueries({ job: JOB }).requestRate, end - 30, end, 1);
      return r[0]?.points.length >= 2 ? r : undefined;
    });
    assert.strictEqual(series.length, 1);
    assert.strictEqual(series[0].metric.model_name, MODEL);
    assert.ok(series[0].points.length >= 2, JSON.stringify(series[0].points));
    assert.ok(series[0].points.some((p) => p.value > 0));
    for (let i = 1; i < series[0].points.length; i++) assert.strictEqual(series[0].points[i].timeSeconds - series[0].points[i - 1].timeSeconds, 1);
  });

  it('reports PromQL errors and unreachable servers as PrometheusApiError', async () => {
    await assert.rejects(client.query('sum(rate('), (e: unknown) => e instanceof PrometheusApiError && e.errorType === 'bad_data' && /parse error/.test(e.message));
    const [deadPort] = await freePorts(1);
    const dead = new PrometheusApiClient(`http://127.0.0.1:${deadPort}`, 2000);
    assert.strictEqual(await dead.ready(), false);
    await assert.rejects(dead.query('up'), /did not answer/);
  });
});
