// "Start Prometheus" for a TF Serving server: a prom/prometheus container on a user-defined network shared with the
// server's container, scraping it by container name (Docker's DNS resolves names on user-defined networks on every
// OS). The plan is pure data; startPrometheusContainer() carries it out on a Docker engine.
import * as path from 'path';
import type { DockerEngine, LabelledContainer, PullProgress } from '../serving/dockerEngine';
import { DockerEngineError } from '../serving/dockerEngineError';
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

export interface StartPrometheusOptions {
  /** Pull a missing image when a registry answers (default true). */
  readonly pull?: boolean;
  readonly onPullProgress?: (p: PullProgress) => void;
}

/**
 * Creates the network (if missing), attaches the server to it, writes prometheus.yml and starts Prometheus.
 * A previous Prometheus of ours for the same server (same name and label) is replaced; anything else by that name
 * is left alone and reported.
 */
export async function startPrometheusContainer(engine: DockerEngine, plan: PrometheusContainerPlan, options: StartPrometheusOptions = {}): Promise<StartedPrometheus> {
  const body = plan.create;
  // Before anything is written, attached or replaced: a missing image that cannot be had leaves everything as it was.
  await engine.ensureImage(body.Image, options);
  for (const f of plan.files) await engine.files.write(f.path, f.content, { readableByAnyUser: true });
  if (plan.network) {
    await engine.ensureNetwork(plan.network);
    if (plan.attach) await engine.connectToNetwork(plan.network.Name, plan.attach);
  }
  const forLabel = body.Labels[PROMETHEUS_LABELS.prometheusFor];
  const old = await engine.inspectIfPresent(body.name);
  if (old) {
    if (old.Config.Labels?.[PROMETHEUS_LABELS.prometheusFor] !== forLabel) {
      throw new DockerEngineError('name-clash', `A container named "${body.name}" already exists and is not this server's Prometheus.`, 'Remove it, or pick another name.');
    }
    await engine.remove(old.Id);
  }
  const id = await engine.createAndStartContainer(body, { pull: false });
  return { id, name: body.name, url: plan.url, network: plan.network?.Name };
}

/** The Prometheus containers of ours that scrape `servingName` (running or not), or all of them. */
export async function findPrometheusContainers(engine: DockerEngine, servingName?: string): Promise<LabelledContainer[]> {
  return engine.listLabelled(servingName ? `${PROMETHEUS_LABELS.prometheusFor}=${servingName}` : PROMETHEUS_LABELS.prometheusFor);
}

/** Removes a Prometheus container and, when it made one, the network of the pair (the server is detached from it). */
export async function removePrometheusContainer(engine: DockerEngine, idOrName: string): Promise<void> {
  const info = await engine.inspect(idOrName);
  await engine.remove(info.Id);
  const net = info.Config.Labels?.[PROMETHEUS_LABELS.network];
  if (net) await engine.removeNetwork(net);
}
