// prometheus.yml for one TF Serving server: a scrape job whose metrics_path matches the server's monitoring config.
// The same text comes out of "Start Prometheus" and `tfserving-studio prometheus-config`.
import { DEFAULT_PROMETHEUS_PATH } from '../configs/monitoringConfig';
import { containerNameProblem, requireName } from '../names';

export { DEFAULT_PROMETHEUS_PATH };
export const DEFAULT_JOB_NAME = 'tfserving';
/** Short, so the panel's 1-minute rates have a dozen points; TF Serving's page is cheap to render. */
export const DEFAULT_SCRAPE_INTERVAL = '5s';
/** host.docker.internal only resolves inside a Linux container with this mapping (Docker Desktop adds it itself). */
export const HOST_GATEWAY_EXTRA_HOST = 'host.docker.internal:host-gateway';
export const HOST_DOCKER_INTERNAL = 'host.docker.internal';
/** TF Serving's REST port inside its container, where the Prometheus page is served. */
export const SERVING_REST_PORT_IN_CONTAINER = 8501;

export interface PrometheusConfigOptions {
  /** HOST:PORT as Prometheus dials it: `container-name:8501`, `host.docker.internal:8501`, `127.0.0.1:8501`. */
  readonly target: string;
  readonly metricsPath?: string;
  readonly jobName?: string;
  /** A Prometheus duration: 5s, 1m, 1m30s… */
  readonly scrapeInterval?: string;
  /** Labels Prometheus adds to everything it sends out (remote write, federation, alerts). */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Labels on the target's series, e.g. the server's container name. */
  readonly targetLabels?: Readonly<Record<string, string>>;
}

/** How Prometheus reaches a TF Serving server, and what its container needs for that. */
export interface ScrapeTargetPlan {
  readonly target: string;
  /** Docker ExtraHosts entries the Prometheus container needs for the target to resolve. */
  readonly extraHosts: string[];
}

/** A server in a container on the same user-defined network: Docker's DNS resolves its name on every OS. */
export function containerTarget(containerName: string, port = SERVING_REST_PORT_IN_CONTAINER): ScrapeTargetPlan {
  requireName(containerNameProblem(containerName));
  return { target: `${containerName}:${checkPort(port)}`, extraHosts: [] };
}

/** A server outside Docker, on the host: reached through host.docker.internal mapped to the host gateway. */
export function hostTarget(port: number): ScrapeTargetPlan {
  return { target: `${HOST_DOCKER_INTERNAL}:${checkPort(port)}`, extraHosts: [HOST_GATEWAY_EXTRA_HOST] };
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port ${port} is not between 1 and 65535.`);
  return port;
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration ("1m30s"); throws on anything Prometheus would refuse. */
export function parsePrometheusDuration(d: string): number {
  const m = DURATION.exec(d);
  if (!m || d === '') throw new Error(`"${d}" is not a Prometheus duration (e.g. 5s, 1m, 1m30s, 500ms).`);
  let ms = 0;
  for (let i = 0; i < DURATION_MS.length; i++) if (m[i + 1]) ms += Number(m[i + 1]) * DURATION_MS[i];
  if (ms === 0) throw new Error(`"${d}" is zero; a scrape interval must be positive.`);
  return ms;
}

/** Checks a HOST:PORT target (a name, an IPv4 address or a bracketed IPv6 address). */
export function checkTarget(target: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?):(\d{1,5})$/.exec(target);
  if (!m) throw new Error(`"${target}" is not HOST:PORT (e.g. 127.0.0.1:8501 or tfserving:8501).`);
  checkPort(Number(m[3]));
  return target;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function checkLabels(kind: string, labels: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!labels || !Object.keys(labels).length) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`${kind} label "${k}" is not a valid Prometheus label name.`);
    out[k] = String(v);
  }
  return out;
}

/** The config as an object (what the YAML encodes), for schema validation and tests. */
export function prometheusConfigObject(options: PrometheusConfigOptions): Record<string, unknown> {
  const metricsPath = options.metricsPath || DEFAULT_PROMETHEUS_PATH;
  if (!metricsPath.startsWith('/')) throw new Error(`The metrics path must start with "/" (got "${metricsPath}").`);
  if (/[\s?#]/.test(metricsPath)) throw new Error(`The metrics path "${metricsPath}" may not hold spaces, "?" or "#".`);
  const jobName = options.jobName || DEFAULT_JOB_NAME;
  if (/[\r\n]/.test(jobName)) throw new Error('The job name must be one line.');
  const interval = options.scrapeInterval || DEFAULT_SCRAPE_INTERVAL;
  const intervalMs = parsePrometheusDuration(interval);
  // Prometheus refuses a timeout longer than the interval; its default (10s) is longer than ours.
  const timeout = intervalMs <= 10_000 ? interval : '10s';
  const external = checkLabels('External', options.externalLabels);
  const targetLabels = checkLabels('Target', options.targetLabels);

  const global: Record<string, unknown> = { scrape_interval: interval, scrape_timeout: timeout, evaluation_interval: interval };
  if (external) global.external_labels = external;
  const staticConfig: Record<string, unknown> = { targets: [checkTarget(options.target)] };
  if (targetLabels) staticConfig.labels = targetLabels;
  return {
    global,
    scrape_configs: [
      {
        job_name: jobName,
        scrape_interval: interval,
        scrape_timeout: timeout,
        metrics_path: metricsPath,
        scheme: 'http',
        static_configs: [staticConfig],
      },
    ],
  };
}

/** prometheus.yml text: a comment saying where it came from, then the YAML. */
export async function prometheusConfigText(options: PrometheusConfigOptions): Promise<string> {
  const { stringify } = await import('yaml');
  // Every string value double-quoted: Prometheus reads YAML 1.1, where a bare yes, on or 0x1f is not a string.
  const body = stringify(prometheusConfigObject(options), { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  return `# prometheus.yml written by TF Serving Studio for the TF Serving server at ${options.target}.\n` +
    `# metrics_path must match the server's --monitoring_config_file (prometheus_config { path }).\n${body}`;
}
