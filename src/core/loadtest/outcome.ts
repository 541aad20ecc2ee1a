// What one load-test request came to, and the kinds of failure a report counts separately: a refused connection,
// a connection closed before the answer, no answer in time, TF Serving's 4xx/5xx answers (with its error JSON).

export type ErrorKind = 'connection-refused' | 'connection-closed' | 'timeout' | 'http-4xx' | 'http-5xx' | 'other';

export const ERROR_KINDS: readonly ErrorKind[] = ['connection-refused', 'connection-closed', 'timeout', 'http-4xx', 'http-5xx', 'other'];

export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: ErrorKind; readonly status?: number; readonly message: string };

export const OK: Outcome = { ok: true };

/** The `error` of TF Serving's `{ "error": "…" }` answer, or the start of the body when it is not that JSON. */
export function tfServingErrorMessage(status: number, body: string): string {
  try {
    const err = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof err === 'string' && err) return err;
  } catch { /* not JSON */ }
  const text = body.trim().slice(0, 200);
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
}

export function httpOutcome(status: number, body: () => string): Outcome {
  if (status >= 200 && status < 300) return OK;
  const kind: ErrorKind = status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : 'other';
  return { ok: false, kind, status, message: tfServingErrorMessage(status, body()) };
}

/** A socket error's kind: ECONNREFUSED is the server not listening, the rest a connection that broke. */
export function socketErrorOutcome(e: { readonly code?: string; readonly message: string }): Outcome {
  if (e.code === 'ECONNREFUSED') return { ok: false, kind: 'connection-refused', message: e.message };
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return { ok: false, kind: 'connection-closed', message: e.message };
  return { ok: false, kind: 'other', message: e.message };
}

/** Errors of one level: counts per kind, per HTTP status, and the first message of each kind. */
export interface ErrorCounts {
  readonly total: number;
  readonly byKind: Partial<Record<ErrorKind, number>>;
  readonly byStatus: Record<string, number>;
  readonly messages: Partial<Record<ErrorKind, string>>;
}

export class ErrorTally {
  total = 0;
  private readonly byKind: Partial<Record<ErrorKind, number>> = {};
  private readonly byStatus: Record<string, number> = {};
  private readonly messages: Partial<Record<ErrorKind, string>> = {};

  add(o: Outcome & { ok: false }): void {
    this.total++;
    this.byKind[o.kind] = (this.byKind[o.kind] ?? 0) + 1;
    if (o.status !== undefined) this.byStatus[o.status] = (this.byStatus[o.status] ?? 0) + 1;
    this.messages[o.kind] ??= o.message;
  }

  merge(other: ErrorTally): void {
    this.total += other.total;
    for (const [k, v] of Object.entries(other.byKind) as [ErrorKind, number][]) this.byKind[k] = (this.byKind[k] ?? 0) + v;
    for (const [s, v] of Object.entries(other.byStatus)) this.byStatus[s] = (this.byStatus[s] ?? 0) + v;
    for (const [k, m] of Object.entries(other.messages) as [ErrorKind, string][]) this.messages[k] ??= m;
  }

  counts(): ErrorCounts {
    return { total: this.total, byKind: { ...this.byKind }, byStatus: { ...this.byStatus }, messages: { ...this.messages } };
  }
}
