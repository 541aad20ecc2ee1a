// TF Serving's REST API: model status, metadata, predict, each answer with its round-trip time.
import * as http from 'http';
import * as https from 'https';
import type { ServingCall, ServingClient } from './servingClient';

export type ModelVersionState = 'UNKNOWN' | 'START' | 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export interface ModelVersionStatus {
  readonly version: string;
  readonly state: ModelVersionState;
  readonly status: { readonly error_code: string; readonly error_message: string };
}

/** "CODE: message" of a version whose status is an error (TF Serving's status of a failed load), else undefined. */
export function versionStatusError(v: ModelVersionStatus): string | undefined {
  const code = v.status?.error_code;
  return code && code !== 'OK' ? `${code}: ${v.status.error_message}` : undefined;
}

export interface Timed<T> { readonly value: T; readonly millis: number; readonly httpStatus: number }

export type VersionSelector = { readonly version: number } | { readonly label: string } | undefined;

export class TfServingError extends Error {
  constructor(message: string, readonly httpStatus?: number) { super(message); }
}

export class TfServingClient implements ServingClient {
  readonly protocol = 'rest' as const;
  /** baseUrl: the REST root, e.g. http://127.0.0.1:8501 */
  constructor(readonly baseUrl: string, private readonly timeoutMs = 30_000) {}

  describe(call: ServingCall, model: string, sel?: VersionSelector): string {
    const p = this.modelPath(model, sel);
    return `${this.baseUrl}${p}${call === 'predict' ? ':predict' : call === 'metadata' ? '/metadata' : ''}`;
  }

  modelPath(model: string, sel?: VersionSelector): string {
    let p = `/v1/models/${encodeURIComponent(model)}`;
    if (sel && 'version' in sel) p += `/versions/${sel.version}`;
    else if (sel && 'label' in sel) p += `/labels/${encodeURIComponent(sel.label)}`;
    return p;
  }

  async status(model: string, sel?: VersionSelector, timeoutMs?: number): Promise<Timed<ModelVersionStatus[]>> {
    const r = await this.request<{ model_version_status?: ModelVersionStatus[] }>('GET', this.modelPath(model, sel), undefined, timeoutMs);
    return { ...r, value: r.value.model_version_status ?? [] };
  }

  async metadata(model: string, sel?: VersionSelector): Promise<Timed<{ model_spec: unknown; metadata: { signature_def: { signature_def: Record<string, unknown> } } }>> {
    return this.request('GET', this.modelPath(model, sel) + '/metadata');
  }

  async predict(model: string, body: unknown, sel?: VersionSelector): Promise<Timed<{ predictions?: unknown; outputs?: unknown }>> {
    return this.request('POST', this.modelPath(model, sel) + ':predict', body);
  }

  /** True when some version of the model is AVAILABLE (what "serving" means for the view). */
  async isAvailable(model: string, sel?: VersionSelector, probeTimeoutMs = 1_000): Promise<boolean> {
    try {
      // A short timeout: while the container starts, docker-proxy may hold a connection without an answer.
      const r = await this.request<{ model_version_status?: ModelVersionStatus[] }>('GET', this.modelPath(model, sel), undefined, probeTimeoutMs);
      return (r.value.model_version_status ?? []).some((s) => s.state === 'AVAILABLE');
    } catch {
      return false;
    }
  }

  async metrics(path: string): Promise<Timed<string>> {
    const started = performance.now();
    const res = await this.send('GET', path, undefined, this.timeoutMs);
    if (res.status !== 200) throw new TfServingError(`GET ${path} answered HTTP ${res.status}`, res.status);
    return { value: res.text, millis: performance.now() - started, httpStatus: res.status };
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<Timed<T>> {
    const started = performance.now();
    const res = await this.send(method, path, body === undefined ? undefined : JSON.stringify(body), timeoutMs);
    const millis = performance.now() - started;
    let json: unknown;
    try { json = JSON.parse(res.text); } catch { throw new TfServingError(`${method} ${path} answered HTTP ${res.status} with non-JSON: ${res.text.slice(0, 200)}`, res.status); }
    const err = (json as { error?: string }).error;
    if (res.status >= 400 || err) throw new TfServingError(err ?? `${method} ${path} answered HTTP ${res.status}`, res.status);
    return { value: json as T, millis, httpStatus: res.status };
  }

  // node:http rather than fetch: its timeout is a ref'd timer and a connection reset while the container starts
  // rejects at once (fetch could leave a CLI's event loop empty and the promise unsettled).
  private send(method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
    const url = new URL(this.baseUrl + path);
    return new Promise((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.request(url, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(new TfServingError(`TF Serving at ${this.baseUrl} broke off its answer: ${e.message}`)));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(new TfServingError(`TF Serving at ${this.baseUrl} did not answer: ${e.message}`)));
      req.end(body);
    });
  }
}
