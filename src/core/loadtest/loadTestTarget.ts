// Which server a load test hits, and whether it may without asking: only servers on this machine's loopback
// (127.0.0.0/8, ::1, localhost) run without a confirmation; anything else asks first (the editor) or needs
// --allow-remote (the CLI). A load test is heavy traffic, and a URL typed by mistake should not send it elsewhere.
import type { VersionSelector } from '../serving/tfServingClient';

export interface LoadTestTarget {
  /** The REST root, e.g. http://127.0.0.1:8501 */
  readonly restUrl: string;
  readonly model: string;
  readonly version?: VersionSelector;
  /** TF Serving's Prometheus page, when monitoring is on (path from the container's monitoring config). */
  readonly metricsPath?: string;
}

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try { host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase(); } catch { return false; }
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `http://host:8501/v1/models/hpt[/versions/2|/labels/canary]` → the REST root and the model; a bare root gives no model. */
export function targetFromUrl(text: string): { restUrl: string; model?: string; version?: VersionSelector } {
  let url: URL;
  try { url = new URL(text); } catch {
    throw new Error(`"${text}" is neither a URL nor a running container's name; give http://127.0.0.1:8501/v1/models/<model> or a container name.`);
  }
  if (url.protocol !== 'http:') throw new Error(`The load test speaks plain HTTP to TF Serving's REST port; "${text}" is ${url.protocol.replace(':', '')}.`);
  const restUrl = `${url.protocol}//${url.host}`;
  const m = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d+)|\/labels\/([^/:]+))?\/?$/.exec(url.pathname);
  if (!m) {
    if (url.pathname !== '/' && url.pathname !== '') throw new Error(`${text}: the path must be /v1/models/<model>[/versions/<n>|/labels/<label>].`);
    return { restUrl };
  }
  const model = decodeURIComponent(m[1]);
  const version: VersionSelector = m[2] ? { version: Number(m[2]) } : m[3] ? { label: decodeURIComponent(m[3]) } : undefined;
  return { restUrl, model, ...(version ? { version } : {}) };
}

export function predictPath(model: string, sel?: VersionSelector): string {
  let p = `/v1/models/${encodeURIComponent(model)}`;
  if (sel && 'version' in sel) p += `/versions/${sel.version}`;
  else if (sel && 'label' in sel) p += `/labels/${encodeURIComponent(sel.label)}`;
  return p + ':predict';
}

/** TF Serving's default Prometheus path (what Start TF Serving… configures). */
export const DEFAULT_METRICS_PATH = '/monitoring/prometheus/metrics';

/** For a bare URL nobody told us the monitoring path: the default one, if the server answers there. */
export async function probeMetricsPath(restUrl: string, path = DEFAULT_METRICS_PATH): Promise<string | undefined> {
  try {
    const r = await fetch(restUrl + path, { signal: AbortSignal.timeout(3_000) });
    await r.arrayBuffer();
    return r.status === 200 ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Why a target is refused without the user's say-so; undefined when it is on this machine. */
export function remoteTargetWarning(restUrl: string): string | undefined {
  return isLoopbackUrl(restUrl) ? undefined
    : `${restUrl} is not on this machine. A load test sends as many requests as the server takes; run it only against a server you own.`;
}
