// Writes the MonitoringConfig text proto passed as --monitoring_config_file (tensorflow_serving/config/monitoring_config.proto).
import { textFormatString } from './modelServerConfig';

export const DEFAULT_PROMETHEUS_PATH = '/monitoring/prometheus/metrics';

export interface MonitoringOptions {
  readonly enable: boolean;
  /** Where the REST port serves the Prometheus page; TF Serving's default when empty. */
  readonly path?: string;
}

export function monitoringConfigText(options: MonitoringOptions): string {
  const path = options.path || DEFAULT_PROMETHEUS_PATH;
  if (!path.startsWith('/')) throw new Error(`The Prometheus path must start with "/" (got "${path}").`);
  return `prometheus_config {\n  enable: ${options.enable}\n  path: ${textFormatString(path)}\n}\n`;
}
