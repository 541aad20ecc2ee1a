// "Start Prometheus" for a TF Serving server: a prom/prometheus container on a user-defined network shared with the
// server's container, scraping it by container name (Docker's DNS resolves names on user-defined networks on every
// OS). The plan is pure data; startPrometheusContainer() carries it out on a Docker engine.
import * as fs from 'fs';
import * as path from 'path';
import type Dockerode from 'dockerode';
import {
  containerTarget, DEFAULT_SCRAPE_INTERVAL, hostTarget, prometheusConfigText, type ScrapeTargetPlan,
} from './prometheusConfigWriter';

export const PROMETHEUS_IMAGE = 'prom/prometheus:latest';
export const PROMETHEUS_PORT = 9090;
/** Where the config folder appears inside the container: a folder, not a file, so a rewritten file is seen. */
export const PROMETHEUS_CONFIG_DIR_IN_CONTAINER = '/etc/tfserving-studio/prometheus';
export const PROMETHEUS_LABELS = {
  /** The TF Serving container this Prometheus scrapes. Not `tfserving-studio.managed`: that marks servers. */
  prometheusFor: 'tfserving-studio.prometheus-for',
  role: 'tfserving-studio.role',
  network: 'tfserving-studio.network',
} as const;

export type PrometheusScrapeSource =
  /** A TF Serving container: both containers join `network`, Prometheus dials `<name>:8501`. */
  | { readonly kind: 'container'; readonly containerName: string; readonly restPortInContainer?: number }
  /** A server outside Docker listening on the host: dialled as host.docker.internal with the host-gateway mapping. */
  | { readonly kind: 'host'; readonly hostPort: number; readonly name: string };

export interface PrometheusContainerSpec {
  readonly source: PrometheusScrapeSource;
  /** The server's Prometheus path from its monitoring config; TF Serving's default when undefined. */
  readonly metricsPath?: string;
  /** Host port for Prometheus' UI and API, published on 127.0.0.1 only. */
  readonly hostPort?: number;
  /** Host folder where prometheus.yml is written (mounted read-only). */
  readonly configDir: string;
  readonly image?: string;
  readonly scrapeInterval?: string;
  readonly containerName?: string;
  readonly networkName?: string;
}

export interface PrometheusCreateBody {
  name: string;
  Image: string;
  Cmd: string[];
  ExposedPorts: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
  HostConfig: {
    Mounts: { Type: 'bind'; Source: string; Target: string; ReadOnly: boolean }[];
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    Init: boolean;
    NetworkMode?: string;
    ExtraHosts?: string[];
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, Record<string, never>> };
}

export interface PrometheusContainerPlan {
  /** The user-defined network to create (if missing) and attach both containers to; none for a host target. */
  readonly network?: { readonly Name: string; readonly Driver: 'bridge'; readonly Labels: Record<string, string> };
  /** The TF Serving container to attach to the network. */
  readonly attach?: string;
  readonly create: PrometheusCreateBody;
  readonly files: { readonly path: string; readonly content: string }[];
  readonly scrape: ScrapeTargetPlan;
  /** Prometheus' UI and API as seen from the host. */
  readonly url: string;
}

const safeName = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'tfserving';

export async function prometheusContainerPlan(spec: PrometheusContainerSpec): Promise<PrometheusContainerPlan> {
  const src = spec.source;
  const servingName = src.kind === 'container' ? src.containerName : src.name;
  const scrape = src.kind === 'container' ? containerTarget(src.containerName, src.restPortInContainer) : hostTarget(src.hostPort);
  const hostPort = spec.hostPort ?? PROMETHEUS_PORT;
  if (!Number.isInteger(hostPort) || hostPort < 1 || hostPort > 65535) throw new Error(`Port ${hostPort} is not between 1 and 65535.`);
  const name = spec.containerName ?? `${safeName(servingName)}-prometheus`;
  const networkName = src.kind === 'container' ? (spec.networkName ?? `tfserving-studio-${safeName(servingName)}`) : undefined;
  const config = await prometheusConfigText({
    target: scrape.target,
    metricsPath: spec.metricsPath,
    scrapeInterval: spec.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL,
    externalLabels: { monitor: 'tfserving-studio', tfserving_server: servingName },
  });
  const labels: Record<string, string> = {
    [PROMETHEUS_LABELS.prometheusFor]: servingName,
    [PROMETHEUS_LABELS.role]: 'prometheus',
    ...(networkName ? { [PROMETHEUS_LABELS.network]: networkName } : {}),
  };
  const create: PrometheusCreateBody = {
    name,
    Image: spec.image ?? PROMETHEUS_IMAGE,
    // The image's default CMD names /etc/prometheus/prometheus.yml; ours lives in the mounted folder.
    Cmd: [
      `--config.file=${PROMETHEUS_CONFIG_DIR_IN_CONTAINER}/prometheus.yml`,
      '--storage.tsdb.path=/prometheus',
      `--web.listen-address=:${PROMETHEUS_PORT}`,
    ],
    ExposedPorts: { [`${PROMETHEUS_PORT}/tcp`]: {} },
    Labels: labels,
    HostConfig: {
      Mounts: [{ Type: 'bind', Source: spec.configDir, Target: PROMETHEUS_CONFIG_DIR_IN_CONTAINER, ReadOnly: true }],
      PortBindings: { [`${PROMETHEUS_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }] },
      // tini as PID 1: `docker stop` ends Prometheus at once and it flushes its head block.
      Init: true,
      ...(networkName ? { NetworkMode: networkName } : {}),
      ...(scrape.extraHosts.length ? { ExtraHosts: [...scrape.extraHosts] } : {}),
    },
    ...(networkName ? { NetworkingConfig: { EndpointsConfig: { [networkName]: {} } } } : {}),
  };
  return {
    ...(networkName ? { network: { Name: networkName, Driver: 'bridge' as const, Labels: { [PROMETHEUS_LABELS.role]: 'network' } }, attach: servingName } : {}),
    create,
    files: [{ path: path.join(spec.configDir, 'prometheus.yml'), content: config }],
    scrape,
    url: `http://127.0.0.1:${hostPort}`,
  };
}

export interface StartedPrometheus { readonly id: string; readonly name: string; readonly url: string; readonly network?: string }

const statusCode = (e: unknown) => (e as { statusCode?: number })?.statusCode;
const errText = (e: unknown) => String((e as { json?: { message?: string } })?.json?.message ?? (e as Error)?.message ?? e);

/**
 * Creates the network (if missing), attaches the server to it, writes prometheus.yml and starts Prometheus.
 * A previous Prometheus of ours for the same server (same name and label) is replaced; anything else by that name
 * is left alone and reported.
 */
export async function startPrometheusContainer(
  docker: Dockerode, plan: PrometheusContainerPlan, options: { pull?: (image: string) => Promise<void> } = {},
): Promise<StartedPrometheus> {
  const image = plan.create.Image;
  try {
    await docker.getImage(image).inspect();
  } catch (e) {
    if (statusCode(e) !== 404) throw e;
    // DockerEngine.pullImage explains a missing registry or tag; without it, say what to do.
    if (!options.pull) throw new Error(`Image ${image} is not on this Docker engine; pull it ("docker pull ${image}") and try again.`);
    await options.pull(image);
  }
  for (const f of plan.files) {
    await fs.promises.mkdir(path.dirname(f.path), { recursive: true });
    // Readable by the image's `nobody` user: the folder may come from mkdtemp (0700).
    await fs.promises.chmod(path.dirname(f.path), 0o755);
    await fs.promises.writeFile(f.path, f.content, { mode: 0o644 });
  }
  if (plan.network) {
    const existing = await docker.listNetworks({ filters: { name: [plan.network.Name] } });
    if (!existing.some((n) => n.Name === plan.network!.Name)) {
      await docker.createNetwork({ Name: plan.network.Name, Driver: plan.network.Driver, Labels: plan.network.Labels, CheckDuplicate: true });
    }
    if (plan.attach) {
      try {
        await docker.getNetwork(plan.network.Name).connect({ Container: plan.attach });
      } catch (e) {
        // Already attached (a second Start Prometheus) is fine.
        if (!/already exists|already attached/i.test(errText(e))) {
          throw new Error(`Could not attach ${plan.attach} to network ${plan.network.Name}: ${errText(e)}`);
        }
      }
    }
  }
  const body = plan.create;
  const forLabel = body.Labels[PROMETHEUS_LABELS.prometheusFor];
  try {
    const old = await docker.getContainer(body.name).inspect();
    if (old.Config.Labels?.[PROMETHEUS_LABELS.prometheusFor] !== forLabel) {
      throw new Error(`A container named "${body.name}" already exists and is not this server's Prometheus; remove it or pick another name.`);
    }
    await docker.getContainer(body.name).remove({ force: true });
  } catch (e) {
    if (statusCode(e) !== 404) throw e;
  }
  const container = await docker.createContainer(body as unknown as Dockerode.ContainerCreateOptions);
  try {
    await container.start();
  } catch (e) {
    await container.remove({ force: true }).catch(() => undefined);
    const text = errText(e);
    if (/port is already allocated|address already in use/i.test(text)) {
      throw new Error(`Port ${body.HostConfig.PortBindings[`${PROMETHEUS_PORT}/tcp`][0].HostPort} is already in use on 127.0.0.1; choose another port for Prometheus.`);
    }
    throw new Error(`Docker could not start Prometheus: ${text}`);
  }
  return { id: container.id, name: body.name, url: plan.url, network: plan.network?.Name };
}

/** The Prometheus containers of ours that scrape `servingName` (running or not). */
export async function findPrometheusContainers(docker: Dockerode, servingName?: string): Promise<Dockerode.ContainerInfo[]> {
  const label = servingName ? `${PROMETHEUS_LABELS.prometheusFor}=${servingName}` : PROMETHEUS_LABELS.prometheusFor;
  return docker.listContainers({ all: true, filters: { label: [label] } });
}

/** Removes a Prometheus container and, when no container uses it any more, the network it created. */
export async function removePrometheusContainer(docker: Dockerode, idOrName: string): Promise<void> {
  const c = docker.getContainer(idOrName);
  const info = await c.inspect();
  await c.remove({ force: true });
  const net = info.Config.Labels?.[PROMETHEUS_LABELS.network];
  if (!net) return;
  const n = docker.getNetwork(net);
  const details = await n.inspect().catch(() => undefined) as { Containers?: Record<string, { Name: string }> } | undefined;
  if (!details) return;
  // Detach the TF Serving container too: the network was ours, made for this pair.
  for (const id of Object.keys(details.Containers ?? {})) await n.disconnect({ Container: id, Force: true }).catch(() => undefined);
  await n.remove().catch(() => undefined);
}
