// "Check with promtool" against the real promtool (Debian's, 2.42 here, older than Prometheus 3): the full
// `promtool check config` run on files of Prometheus' corpus, and the report that puts its verdict beside ours.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promtoolCheckUserConfig, promtoolOnPath } from '../../src/vscode/monitoring/promtoolCheck';
import { promtoolMajor, promtoolReport } from '../../src/core/validation/prometheus/promtoolVerdict';
import { validatePrometheusConfig } from '../../src/core/validation/prometheusValidation';
import { localFileHost } from '../../src/core/validation/prometheus/configFileHost';

const testdata = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'prometheus-corpus', 'testdata');

async function compare(name: string): Promise<string> {
  const file = join(testdata, name);
  const run = await promtoolCheckUserConfig(file);
  assert.ok(run, 'promtool is on PATH (apt-get install prometheus)');
  return promtoolReport(name, validatePrometheusConfig(name, readFileSync(file, 'utf8'), { host: localFileHost, absolutePath: file }), run);
}

describe('Check with promtool (integration, real promtool)', function () {
  this.timeout(60000);
  it('finds promtool on PATH without starting it, and not on an empty PATH', async () => {
    assert.equal(await promtoolOnPath(), true);
    assert.equal(await promtoolOnPath(''), false);
  });
  it('shows agreement on a file both refuse', async () => {
    const report = await compare('scrape_interval.bad.yml');
    assert.match(report, /^promtool \(version \d+\.\d+/m);
    assert.match(report, /promtool .*: refused/);
    assert.match(report, /TF Serving Studio \(Prometheus 3 rules\): refused, 1 error/);
    assert.match(report, /scrape_timeout \(6s\) is greater than scrape_interval \(5s\)/);
    assert.match(report, /Both agree\./);
  });
  it('names an older promtool as the likely reason when only it refuses a Prometheus 3 file', async function () {
    const run = await promtoolCheckUserConfig(join(testdata, 'global_timeout.good.yml'));
    if (promtoolMajor(run?.version) !== 2) this.skip(); // a Prometheus 3 promtool has nothing to disagree about here
    const report = await compare('scrape_config_global_validation_mode.yml');
    assert.match(report, /older than Prometheus 3/);
    assert.match(report, /TF Serving Studio \(Prometheus 3 rules\): valid/);
    assert.match(report, /They disagree \(an older promtool is the likely reason\)\./);
  });
});
