import * as assert from 'assert';
import { parse } from 'yaml';
import { prometheusContainerPlan } from '../../src/core/monitoring/prometheusContainer';

describe('Prometheus container plan', () => {
  it('container source: network shared with the server, target by name, config mounted read-only, 9090 on 127.0.0.1', async () => {
    const plan = await prometheusContainerPlan({
      source: { kind: 'container', containerName: 'tfs-hpt' }, metricsPath: '/monitoring/custom', configDir: '/cfg/prom',
    });
    assert.deepStrictEqual(plan.network, { Name: 'tfserving-studio-tfs-hpt', Driver: 'bridge', Labels: { 'tfserving-studio.role': 'network' } });
    assert.strictEqual(plan.attach, 'tfs-hpt');
    assert.strictEqual(plan.url, 'http://127.0.0.1:9090');
    assert.deepStrictEqual(plan.create, {
      name: 'tfs-hpt-prometheus',
      Image: 'prom/prometheus:latest',
      Cmd: ['--config.file=/etc/tfserving-studio/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--web.listen-address=:9090'],
      ExposedPorts: { '9090/tcp': {} },
      Labels: {
        'tfserving-studio.prometheus-for': 'tfs-hpt', 'tfserving-studio.role': 'prometheus', 'tfserving-studio.network': 'tfserving-studio-tfs-hpt',
      },
      HostConfig: {
        Mounts: [{ Type: 'bind', Source: '/cfg/prom', Target: '/etc/tfserving-studio/prometheus', ReadOnly: true }],
        PortBindings: { '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: '9090' }] },
        Init: true,
        NetworkMode: 'tfserving-studio-tfs-hpt',
      },
      NetworkingConfig: { EndpointsConfig: { 'tfserving-studio-tfs-hpt': {} } },
    });
    assert.strictEqual(plan.files[0].path, '/cfg/prom/prometheus.yml');
    const cfg = parse(plan.files[0].content);
    assert.deepStrictEqual(cfg.scrape_configs[0].static_configs, [{ targets: ['tfs-hpt:8501'] }]);
    assert.strictEqual(cfg.scrape_configs[0].metrics_path, '/monitoring/custom');
    assert.deepStrictEqual(cfg.global.external_labels, { monitor: 'tfserving-studio', tfserving_server: 'tfs-hpt' });
  });

  it('host source: host.docker.internal with the host-gateway mapping, no network', async () => {
    const plan = await prometheusContainerPlan({ source: { kind: 'host', hostPort: 8501, name: 'local server' }, configDir: '/c', hostPort: 19090 });
    assert.strictEqual(plan.network, undefined);
    assert.strictEqual(plan.create.name, 'local-server-prometheus');
    assert.deepStrictEqual(plan.create.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway']);
    assert.strictEqual(plan.create.HostConfig.NetworkMode, undefined);
    assert.deepStrictEqual(plan.create.HostConfig.PortBindings, { '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: '19090' }] });
    assert.deepStrictEqual(parse(plan.files[0].content).scrape_configs[0].static_configs[0].targets, ['host.docker.internal:8501']);
    await assert.rejects(prometheusContainerPlan({ source: { kind: 'host', hostPort: 8501, name: 'x' }, configDir: '/c', hostPort: 0 }), /between 1 and 65535/);
  });
});
