// Every variant of the generated prometheus.yml through the real `promtool check config` (Debian's prometheus).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  containerTarget, hostTarget, prometheusConfigObject, prometheusConfigText, type PrometheusConfigOptions,
} from '../../src/core/monitoring/prometheusConfigWriter';
import { validatePrometheusConfig } from '../../src/core/validation/prometheusValidation';
import { prometheusBinaries, promtoolCheckConfig, tempDir } from './prometheusBinaries';

const VARIANTS: [string, PrometheusConfigOptions][] = [
  ['defaults, container target on a user-defined network', { target: containerTarget('tfserving-hpt').target }],
  ['host.docker.internal for a server outside Docker', { target: hostTarget(8501).target }],
  ['loopback target, custom path, job and interval', { target: '127.0.0.1:18501', metricsPath: '/custom/prom', jobName: 'hpt server', scrapeInterval: '15s' }],
  ['interval above the default timeout (timeout capped at 10s)', { target: 'tfs:8501', scrapeInterval: '1m30s' }],
  ['sub-second interval', { target: 'tfs:8501', scrapeInterval: '500ms' }],
  ['IPv6 target', { target: '[::1]:8501' }],
  ['external and target labels, YAML 1.1 traps and escapes', {
    target: 'tfs.example-1:8501',
    externalLabels: { monitor: 'tfserving-studio', server: 'yes', odd: 'a "quoted" \\ value: #1', num: '0x1f' },
    targetLabels: { container: 'tfs', on: 'off' },
  }],
];

describe('prometheus.yml writer (real promtool)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { prometheusBinaries(); dir = tempDir('promcfg'); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  VARIANTS.forEach(([title, options], i) => {
    it(`the project's schema (ajv) accepts: ${title}`, async () => {
      const text = await prometheusConfigText(options);
      assert.deepStrictEqual(validatePrometheusConfig('prometheus.yml', text), []);
    });

    it(`promtool accepts: ${title}`, async () => {
      const text = await prometheusConfigText(options);
      const file = path.join(dir, `variant-${i}.yml`);
      fs.writeFileSync(file, text);
      const r = promtoolCheckConfig(file);
      assert.strictEqual(r.status, 0, `${r.output}\n${text}`);
      assert.match(r.output, /SUCCESS/);
      // What Prometheus reads back is exactly what we meant (quoting kept "yes", "0x1f" and "off" strings).
      assert.deepStrictEqual(parse(text), prometheusConfigObject(options));
    });
  });

  it('writes the metrics path, the target, a 5s interval and a timeout no longer than the interval', async () => {
    const cfg = parse(await prometheusConfigText({ target: containerTarget('tfs').target, externalLabels: { monitor: 'tfserving-studio' } }));
    assert.deepStrictEqual(cfg.scrape_configs, [{
      job_name: 'tfserving', scrape_interval: '5s', scrape_timeout: '5s', metrics_path: '/monitoring/prometheus/metrics',
      scheme: 'http', static_configs: [{ targets: ['tfs:8501'] }],
    }]);
    assert.deepStrictEqual(cfg.global.external_labels, { monitor: 'tfserving-studio' });
    assert.strictEqual(parse(await prometheusConfigText({ target: 'a:1', scrapeInterval: '2m' })).scrape_configs[0].scrape_timeout, '10s');
    assert.deepStrictEqual(hostTarget(9000), { target: 'host.docker.internal:9000', extraHosts: ['host.docker.internal:host-gateway'] });
  });

  it('promtool rejects what the writer refuses to write (the checks are real, not cosmetic)', async () => {
    // A hand-made config with a timeout above the interval: the writer never produces it, promtool refuses it.
    const text = (await prometheusConfigText({ target: 'a:1', scrapeInterval: '5s' })).replace(/scrape_timeout: "5s"/g, 'scrape_timeout: "6s"');
    const file = path.join(dir, 'bad-timeout.yml');
    fs.writeFileSync(file, text);
    const r = promtoolCheckConfig(file);
    assert.notStrictEqual(r.status, 0, r.output);
    assert.match(r.output, /scrape timeout greater than scrape interval/);
    assert.notDeepStrictEqual(validatePrometheusConfig('prometheus.yml', text), []);
    for (const bad of ['5', '5sec', '0s', '1.5s', '1s1m']) {
      await assert.rejects(prometheusConfigText({ target: 'a:1', scrapeInterval: bad }), /Prometheus duration|zero/, bad);
    }
    await assert.rejects(prometheusConfigText({ target: 'no-port' }), /not HOST:PORT/);
    await assert.rejects(prometheusConfigText({ target: 'a:70000' }), /between 1 and 65535/);
    await assert.rejects(prometheusConfigText({ target: 'a:1', metricsPath: 'metrics' }), /must start with "\/"/);
    await assert.rejects(prometheusConfigText({ target: 'a:1', externalLabels: { 'bad-name': 'x' } }), /not a valid Prometheus label name/);
    await assert.rejects(prometheusConfigText({ target: 'a:1', externalLabels: { __reserved: 'x' } }), /not a valid Prometheus label name/);
    assert.throws(() => containerTarget('bad name'), /Container name "bad name" may only hold letters, digits/);
  });
});
