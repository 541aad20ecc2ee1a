// Start Prometheus and Show Metrics on the real private Docker engine: the stand-in tensorflow/serving image and the
// offline prom/prometheus test image (Debian's Prometheus binary), both built by the harness.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, eventually, labelsOf, freePort } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { StartPrometheusResult } from '../../src/vscode/monitoring/startPrometheusCommand';
import type { PanelData } from '../../src/vscode/monitoring/metricsSource';
import { PrometheusApiClient } from '../../src/core/monitoring/prometheusApiClient';

const MODEL = 'saved_model_half_plus_two_2_versions';

async function versionNode(api: ExtensionApi, version: string) {
  const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
  const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
  const repo = await childByLabel(api.models, undefined, root);
  const model = await childByLabel(api.models, repo, MODEL);
  return childByLabel(api.models, model, version);
}

async function startServer(api: ExtensionApi, name: string, monitoring: boolean): Promise<{ id: string; restUrl: string }> {
  const [restPort, grpcPort] = [await freePort(), await freePort()];
  const started = await vscode.commands.executeCommand<{ id: string; restUrl: string }>('tfServing.startServer', await versionNode(api, '124'),
    { choices: { restPort, grpcPort, monitoring, batching: false }, containerName: name });
  assert.ok(started, `server ${name} started`);
  return started;
}

async function predict(name: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const r = await vscode.commands.executeCommand<{ response: { predictions: number[] } }>('tfServing.sendTestRequest', undefined, { containerId: name, body: { instances: [1.0, 2.0, i] } });
    assert.deepStrictEqual(r.response.predictions.slice(0, 2), [2.5, 3.0]);
  }
}

const chart = (d: PanelData, id: string) => d.model.charts.find((c) => c.id === id);
/** The largest number drawn in a chart (nulls are gaps). */
const peak = (d: PanelData, id: string) => Math.max(-1, ...(chart(d, id)?.data.slice(1).flat().filter((v): v is number => typeof v === 'number') ?? []));

describe('Monitoring: Start Prometheus and the metrics panel on the real Docker engine', function () {
  this.timeout(240_000);
  let api: ExtensionApi;
  const name = `tfs-mon-test-${process.pid}`;
  const plain = `tfs-mon-plain-${process.pid}`;
  let prom: StartPrometheusResult | undefined;

  before(async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    api = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const server of [name, plain]) {
      await vscode.commands.executeCommand('tfServing.stopPrometheus', { containerId: server });
      await vscode.commands.executeCommand('tfServing.removeServer', { containerId: server }, true);
    }
    // Start remembers choices per model: leave monitoring on, as the next suites expect of a fresh workspace.
    await vscode.commands.executeCommand('tfServing.copyDockerRun', await versionNode(api, '124'), { choices: { monitoring: true, batching: false } });
    const docker = (await api.servingState.engine()).docker;
    const leftovers = (await docker.listNetworks()).filter((n) => n.Name.startsWith('tfserving-studio-tfs-mon-'));
    assert.deepStrictEqual(leftovers.map((n) => n.Name), [], 'Stop Prometheus removes the network it made');
  });

  it('starts Prometheus beside a server and the server\'s target comes up', async () => {
    await startServer(api, name, true);
    await predict(name, 5);
    const hostPort = await freePort();
    prom = await vscode.commands.executeCommand<StartPrometheusResult>('tfServing.startPrometheus', { containerId: name }, { hostPort, openBrowser: false });
    assert.ok(prom, 'Start Prometheus returns the started container');
    assert.strictEqual(prom.url, `http://127.0.0.1:${hostPort}`);
    assert.strictEqual(prom.network, `tfserving-studio-${name}`);
    // promtool comes with Debian's prometheus package, which the harness installs for the test image.
    assert.ok(prom.promtool.ran, 'promtool ran on the generated config');
    assert.ok(prom.promtool.ran && prom.promtool.ok, prom.promtool.ran ? prom.promtool.output : '');
    const yml = fs.readFileSync(prom.configFile, 'utf8');
    assert.match(yml, /metrics_path: "\/monitoring\/prometheus\/metrics"/);
    assert.match(yml, new RegExp(`"${name}:8501"`));

    const client = new PrometheusApiClient(prom.url);
    const target = await eventually(async () => {
      const t = (await client.targets()).find((x) => x.job === 'tfserving');
      return t?.health === 'up' ? t : undefined;
    }, 60_000, 'the tfserving target to be up in Prometheus');
    assert.strictEqual(target.scrapeUrl, `http://${name}:8501/monitoring/prometheus/metrics`);
    const up = await client.query('up{job="tfserving"}');
    assert.deepStrictEqual(up.map((s) => s.value), [1]);

    // The Serving view shows Prometheus under its server, with its state and URL.
    const node = await eventually(async () => {
      const container = await childByLabel(api.serving, undefined, name);
      const labels = await labelsOf(api.serving, container);
      return labels.includes('Prometheus') ? childByLabel(api.serving, container, 'Prometheus') : undefined;
    }, 20_000, 'the Prometheus node under the server');
    const item = await api.serving.getTreeItem(node);
    assert.strictEqual(item.description, `running · ${prom.url}`);
    assert.strictEqual(item.contextValue, 'prometheus.running');
    assert.strictEqual(item.command?.command, 'tfServing.openPrometheusUi');
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.openPrometheusUi', { containerId: name }), prom.url);
  });

  it('shows the metrics panel with data from Prometheus\' query_range', async () => {
    // Traffic spread over a few scrapes, so rate() over 1 minute has something to say.
    for (let i = 0; i < 4; i++) {
      await predict(name, 5);
      await new Promise((r) => setTimeout(r, 2500));
    }
    const data = await eventually(async () => {
      const d = await vscode.commands.executeCommand<PanelData>('tfServing.showMetrics', { containerId: name });
      return d && peak(d, 'requests') > 0 && peak(d, 'latency') > 0 ? d : undefined;
    }, 90_000, 'a request rate and latency from Prometheus');
    assert.strictEqual(data.origin, 'prometheus');
    assert.strictEqual(data.from, prom!.url);
    assert.deepStrictEqual(chart(data, 'requests')!.series.map((s) => s.label), [MODEL]);
    assert.deepStrictEqual(chart(data, 'latency')!.series.map((s) => s.label), [`${MODEL} p50`, `${MODEL} p90`, `${MODEL} p99`]);
    assert.deepStrictEqual(chart(data, 'errors')!.series.map((s) => s.label), [MODEL]);
    assert.ok(data.model.versions.some((v) => v.version === '124' && v.state === 'AVAILABLE'), JSON.stringify(data.model.versions));
    assert.ok(data.model.loads.some((l) => l.model === MODEL && l.version === '124' && (l.loadMillis ?? 0) > 0), JSON.stringify(data.model.loads));
    // No batching on this server: no batching charts.
    assert.ok(!chart(data, 'batches') && !chart(data, 'batchQueue'));
  });

  it('without Prometheus, scrapes the server directly and computes the rates itself', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.stopPrometheus', { containerId: name }), true);
    await eventually(async () => {
      const labels = await labelsOf(api.serving, await childByLabel(api.serving, undefined, name));
      return labels.includes('Prometheus') ? undefined : labels;
    }, 20_000, 'the Prometheus node to go away');
    const data = await eventually(async () => {
      await predict(name, 3);
      const d = await vscode.commands.executeCommand<PanelData>('tfServing.showMetrics', { containerId: name });
      return d?.origin === 'direct' && peak(d, 'requests') > 0 ? d : undefined;
    }, 60_000, 'a request rate from direct scrapes');
    assert.match(data.from, /^http:\/\/127\.0\.0\.1:\d+\/monitoring\/prometheus\/metrics$/);
    assert.ok(peak(data, 'latency') > 0, 'latency percentiles from the request_latency histogram');
  });

  it('offers a server without monitoring a restart with it, then starts Prometheus', async () => {
    await startServer(api, plain, false);
    const before = await api.serving.getTreeItem(await eventually(async () => childByLabel(api.serving, undefined, plain), 20_000, 'the plain server'));
    assert.strictEqual(before.contextValue, 'container.running.ours');
    const hostPort = await freePort();
    const started = await vscode.commands.executeCommand<StartPrometheusResult>('tfServing.startPrometheus', { containerId: plain }, { hostPort, openBrowser: false, restartWithoutMonitoring: true });
    assert.ok(started, 'Prometheus started after the restart');
    const after = await eventually(async () => {
      const item = await api.serving.getTreeItem(await childByLabel(api.serving, undefined, plain));
      return item.contextValue === 'container.running.ours.monitored' ? item : undefined;
    }, 20_000, 'the server re-created with monitoring');
    assert.match(String(after.description), /^running · latest · REST :\d+ · gRPC :\d+$/);
    const client = new PrometheusApiClient(started.url);
    await eventually(async () => ((await client.targets()).some((t) => t.health === 'up') ? true : undefined), 60_000, 'the re-created server\'s target up');
    await predict(plain, 2);
  });
});
