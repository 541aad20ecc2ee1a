// A server started without monitoring, re-created with the same settings plus a monitoring config: same name,
// image, command, environment, mounts and ports as Docker recorded them, one more flag, one more file.
import * as path from 'path';
import type { DockerEngine, ServingContainer, StartedContainer } from '../../core/serving/dockerEngine';
import { CONTAINER_CONFIG_DIR, LABELS, type ContainerCreateBody } from '../../core/serving/containerCreateBody';
import { DEFAULT_PROMETHEUS_PATH, monitoringConfigText } from '../../core/configs/monitoringConfig';
import { modelServerArg } from '../../core/serving/modelServerFlags';

interface InspectedContainer {
  Name: string;
  Config: { Image: string; Cmd?: string[] | null; Env?: string[] | null; Labels?: Record<string, string> | null; ExposedPorts?: Record<string, Record<string, never>> | null };
  HostConfig: {
    Mounts?: { Type: string; Source: string; Target: string; ReadOnly?: boolean }[] | null;
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> | null;
    Init?: boolean | null;
    DeviceRequests?: { Driver: string; Count: number; Capabilities: string[][] }[] | null;
    Runtime?: string;
  };
}

/** The create body of `c` again, with monitoring on. Pure, so it can be checked without Docker. */
export function withMonitoring(info: InspectedContainer, metricsPath = DEFAULT_PROMETHEUS_PATH): { create: ContainerCreateBody; files: { path: string; content: string }[] } {
  const labels = { ...(info.Config.Labels ?? {}) };
  const configDir = labels[LABELS.configDir];
  if (!configDir) throw new Error('The container has no config folder label, so it was not started by TF Serving Studio; restart it yourself with --monitoring_config_file.');
  const flag = modelServerArg('monitoring_config_file', `${CONTAINER_CONFIG_DIR}/monitoring.config`);
  const cmd = (info.Config.Cmd ?? []).filter((a) => !a.startsWith('--monitoring_config_file='));
  cmd.push(flag);
  const mounts = (info.HostConfig.Mounts ?? []).map((m) => ({ Type: 'bind' as const, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly ?? true }));
  if (!mounts.some((m) => m.Target === CONTAINER_CONFIG_DIR)) mounts.push({ Type: 'bind', Source: configDir, Target: CONTAINER_CONFIG_DIR, ReadOnly: true });
  labels[LABELS.monitoringPath] = metricsPath;
  const hc = info.HostConfig;
  return {
    create: {
      name: info.Name.replace(/^\//, ''),
      Image: info.Config.Image,
      Cmd: cmd,
      Env: [...(info.Config.Env ?? [])],
      ExposedPorts: { ...(info.Config.ExposedPorts ?? { '8500/tcp': {}, '8501/tcp': {} }) },
      Labels: labels,
      HostConfig: {
        Mounts: mounts,
        PortBindings: { ...(hc.PortBindings ?? {}) },
        Init: hc.Init ?? true,
        ...(hc.DeviceRequests?.length ? { DeviceRequests: hc.DeviceRequests } : {}),
        ...(hc.Runtime && hc.Runtime !== 'runc' ? { Runtime: hc.Runtime } : {}),
      },
    },
    files: [{ path: path.join(configDir, 'monitoring.config'), content: monitoringConfigText({ enable: true, path: metricsPath }) }],
  };
}

/** Removes `c` and creates it again with monitoring; waits until its model is AVAILABLE. */
export async function restartWithMonitoring(engine: DockerEngine, c: ServingContainer): Promise<StartedContainer> {
  const info = (await engine.docker.getContainer(c.id).inspect()) as unknown as InspectedContainer;
  const plan = withMonitoring(info);
  await engine.remove(c.id, true);
  const started = await engine.createAndStart(plan, { pull: false });
  if (c.modelName) {
    const { TfServingClient } = await import('../../core/serving/tfServingClient');
    const client = new TfServingClient(started.restUrl);
    await engine.waitUntilReady(started.id, () => client.isAvailable(c.modelName!), 120_000);
  }
  return started;
}
