// "Start Prometheus" on the project's private Docker engine: the offline-built prom/prometheus test image (Debian's
// binary) started by our core next to the stand-in TF Serving container, seeing the target up through the API.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import type { DockerEngineError } from '../../src/core/serving/dockerEngineError';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { parseExposition } from '../../src/core/monitoring/expositionParser';
import { PrometheusApiClient } from '../../src/core/monitoring/prometheusApiClient';
import {
  findPrometheusContainers, PROMETHEUS_LABELS, prometheusContainerPlan, removePrometheusContainer, startPrometheusContainer,
} from '../../src/core/monitoring/prometheusContainer';
import * as M from '../../src/core/monitoring/tfServingMetricNames';
import { copyModel, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';
import { REPO } from './prometheusBinaries';
import { startStandin, type StandinProcess } from './monitorStandinProcess';
import { until } from './until';

describe('Prometheus container beside TF Serving (private dockerd, offline test image)', function () {
  this.timeout(120_000);
  const engine = useDockerEngine();
  const servers: string[] = [];
  const proms: string[] = [];
  let standin: StandinProcess | undefined;

  before(function () {
    this.timeout(300_000);
    execFileSync('sh', [path.join(REPO, 'test/docker/buildPrometheusImage.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  });

  afterEach(async () => {
    for (const id of proms.splice(0)) await removePrometheusContainer(engine(), id).catch(() => undefined);
    await removeContainers(engine(), servers);
    await standin?.stop();
    standin = undefined;
  });

  it('scrapes the server by container name on a user-defined network; targets up; counts match the page', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const [restPort, grpcPort, promPort] = await freePorts(3);
    const spec = defaultServingSpec({
      modelName: 'hpt', source: { kind: 'local', modelDir: copyModel('saved_model_half_plus_two_cpu') },
      configDir: tempDir('cfg'), restPort, grpcPort, containerName: `tfss-mon-${suffix}`,
      monitoring: true, monitoringPath: '/monitoring/custom',
    });
    const started = await engine().createAndStart(containerCreateBody(spec));
    servers.push(started.id);
    const tfs = new TfServingClient(started.restUrl);
    await engine().waitUntilReady(started.id, () => tfs.isAvailable('hpt'), 30_000);
    const [serving] = (await engine().listServingContainers()).filter((c) => c.id === started.id);
    assert.strictEqual(serving.monitoringPath, '/monitoring/custom');

    const plan = await prometheusContainerPlan({
      source: { kind: 'container', containerName: serving.name }, metricsPath: serving.monitoringPath,
      hostPort: promPort, configDir: tempDir('promcfg'), scrapeInterval: '1s',
    });
    assert.strictEqual(plan.create.HostConfig.PortBindings['9090/tcp'][0].HostIp, '127.0.0.1');
    const prom = await startPrometheusContainer(engine(), plan);
    proms.push(prom.id);

    const info = await engine().docker.getContainer(prom.id).inspect();
    assert.strictEqual(info.Config.Labels[PROMETHEUS_LABELS.prometheusFor], serving.name);
    assert.strictEqual(info.HostConfig.Init, true);
    assert.ok(info.HostConfig.Binds === null || info.HostConfig.Binds === undefined || info.HostConfig.Binds.length === 0);
    assert.deepStrictEqual(info.Mounts.map((m) => [m.Destination, m.RW]), [['/etc/tfserving-studio/prometheus', false]]);
    assert.deepStrictEqual(Object.keys(info.NetworkSettings.Networks), [plan.network!.Name]);
    const servingNets = Object.keys((await engine().docker.getContainer(started.id).inspect()).NetworkSettings.Networks);
    assert.ok(servingNets.includes(plan.network!.Name), servingNets.join());
    // Prometheus is not listed as a TF Serving server, and is found again by its label.
    assert.ok(!(await engine().listServingContainers()).some((c) => c.id === prom.id));
    assert.deepStrictEqual((await findPrometheusContainers(engine(), serving.name)).map((c) => c.id), [prom.id]);

    const api = new PrometheusApiClient(prom.url);
    await until('Prometheus ready', async () => ((await api.ready()) ? true : undefined));
    const targets = await until('the target up', async () => {
      const t = await api.targets();
      return t.length && t[0].health === 'up' ? t : undefined;
    });
    assert.strictEqual(targets[0].scrapeUrl, `http://${serving.name}:8501/monitoring/custom`);

    for (let i = 0; i < 5; i++) await tfs.predict('hpt', { instances: [1.0, 2.0, 5.0] });
    const page = (await tfs.metrics('/monitoring/custom')).value;
    const exposed = parseExposition(page).find((f) => f.name === M.REQUEST_COUNT)!.samples[0].value;
    assert.strictEqual(exposed, 5);
    await until('Prometheus to see the 5 requests', async () => {
      const r = await api.query(`${M.REQUEST_COUNT}{model_name="hpt",status="OK"}`);
      return r[0]?.value === exposed ? r : undefined;
    });
    const [ext] = await api.query(`${M.REQUEST_COUNT}{model_name="hpt"}`);
    assert.strictEqual(ext.metric.instance, `${serving.name}:8501`);

    // Stopping Prometheus removes the network made for the pair; the server keeps running.
    await removePrometheusContainer(engine(), prom.id);
    proms.length = 0;
    assert.deepStrictEqual((await engine().docker.listNetworks({ filters: { name: [plan.network!.Name] } })).filter((n) => n.Name === plan.network!.Name), []);
    assert.strictEqual((await engine().docker.getContainer(started.id).inspect()).State.Running, true);
  });

  it('scrapes a server outside Docker through host.docker.internal (host-gateway mapping)', async () => {
    const modelRoot = tempDir('model');
    fs.cpSync(path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu'), path.join(modelRoot, 'hpt'), { recursive: true });
    standin = await startStandin('hpt', path.join(modelRoot, 'hpt'));
    const [promPort] = await freePorts(1);
    const plan = await prometheusContainerPlan({
      source: { kind: 'host', hostPort: standin.restPort, name: 'host-standin' }, hostPort: promPort,
      configDir: tempDir('promcfg'), scrapeInterval: '1s',
    });
    assert.deepStrictEqual(plan.create.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway']);
    assert.strictEqual(plan.network, undefined);
    const prom = await startPrometheusContainer(engine(), plan);
    proms.push(prom.id);
    const api = new PrometheusApiClient(prom.url);
    await until('Prometheus ready', async () => ((await api.ready()) ? true : undefined));
    const t = await until('the host target up', async () => {
      const r = await api.targets();
      return r.length && r[0].health === 'up' ? r : undefined;
    });
    assert.strictEqual(t[0].scrapeUrl, `http://host.docker.internal:${standin.restPort}/monitoring/prometheus/metrics`);
    fs.rmSync(modelRoot, { recursive: true, force: true });
  });

  it('replaces its own previous Prometheus for the same server, and refuses a foreign container of that name', async () => {
    const [promPort] = await freePorts(1);
    const name = `tfss-foreign-${Math.random().toString(36).slice(2, 8)}`;
    const plan = await prometheusContainerPlan({
      source: { kind: 'host', hostPort: 9, name: 'nobody-home' }, hostPort: promPort, configDir: tempDir('promcfg'), containerName: name,
    });
    const first = await startPrometheusContainer(engine(), plan);
    const second = await startPrometheusContainer(engine(), plan);
    proms.push(second.id);
    assert.notStrictEqual(first.id, second.id);
    await assert.rejects(engine().docker.getContainer(first.id).inspect(), /no such container/i);

    const other = await prometheusContainerPlan({
      source: { kind: 'host', hostPort: 9, name: 'someone-else' }, hostPort: promPort, configDir: tempDir('promcfg'), containerName: name,
    });
    await assert.rejects(startPrometheusContainer(engine(), other), /already exists and is not this server's Prometheus/);

    // A missing image: a plain instruction, or the engine's own explanation when pulling is allowed (no registry here).
    const missing = await prometheusContainerPlan({
      source: { kind: 'host', hostPort: 9, name: 'no-image' }, hostPort: promPort, configDir: tempDir('promcfg'), image: 'prom/prometheus:v0.0.0-none',
    });
    await assert.rejects(startPrometheusContainer(engine(), missing, { pull: false }),
      (e: DockerEngineError) => e.message === 'Image prom/prometheus:v0.0.0-none is not on this Docker engine.' && /docker pull prom\/prometheus:v0.0.0-none/.test(e.hint ?? ''));
    await assert.rejects(startPrometheusContainer(engine(), missing), /Image prom\/prometheus:v0.0.0-none is not on this Docker engine and .*(could not be pulled|no such image)/);
    assert.deepStrictEqual(await findPrometheusContainers(engine(), 'no-image'), []);
  });
});
