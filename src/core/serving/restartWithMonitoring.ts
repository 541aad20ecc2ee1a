// A server started without monitoring, re-created with the same settings plus a monitoring config: same name,
// image, command, environment, mounts and ports as Docker recorded them, one more flag, one more file.
import * as path from 'path';
import { DEFAULT_PROMETHEUS_PATH, monitoringConfigText } from '../configs/monitoringConfig';
import { CONTAINER_CONFIG_DIR, LABELS, type ContainerPlan } from './containerCreateBody';
import type { DockerEngine, ServingContainer, StartedContainer } from './dockerEngine';
import { createBodyFromInspect, withoutFlags, type InspectedContainer } from './inspectedContainer';
import { modelServerArg } from './modelServerFlags';
import type { ServingClientFactory } from './servingState';

/** The create body of the inspected container again, with monitoring on. Pure, so it can be checked without Docker. */
export function withMonitoring(info: InspectedContainer, metricsPath = DEFAULT_PROMETHEUS_PATH): ContainerPlan {
  const create = createBodyFromInspect(info);
  const configDir = create.Labels[LABELS.configDir];
  if (!configDir) throw new Error('The container has no config folder label, so it was not started by TF Serving Studio; restart it yourself with --monitoring_config_file.');
  const cmd = [...withoutFlags(create.Cmd, ['monitoring_config_file']), modelServerArg('monitoring_config_file', `${CONTAINER_CONFIG_DIR}/monitoring.config`)];
  const mounts = create.HostConfig.Mounts.some((m) => m.Target === CONTAINER_CONFIG_DIR)
    ? create.HostConfig.Mounts
    : [...create.HostConfig.Mounts, { Type: 'bind' as const, Source: configDir, Target: CONTAINER_CONFIG_DIR, ReadOnly: true }];
  return {
    create: { ...create, Cmd: cmd, Labels: { ...create.Labels, [LABELS.monitoringPath]: metricsPath }, HostConfig: { ...create.HostConfig, Mounts: mounts } },
    files: [{ path: path.join(configDir, 'monitoring.config'), content: monitoringConfigText({ enable: true, path: metricsPath }) }],
  };
}

/** Removes `c` and creates it again with monitoring; waits until its model is AVAILABLE. */
export async function restartWithMonitoring(engine: DockerEngine, c: ServingContainer, clientFor: ServingClientFactory): Promise<StartedContainer> {
  const plan = withMonitoring(await engine.inspect(c.id));
  await engine.remove(c.id, true);
  const started = await engine.createAndStart(plan, { pull: false });
  if (c.modelName) {
    const client = await clientFor(started.restUrl);
    await engine.waitUntilReady(started.id, () => client.isAvailable(c.modelName!), 120_000);
  }
  return started;
}
