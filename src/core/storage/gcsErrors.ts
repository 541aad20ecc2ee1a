// Turns @google-cloud/storage failures into one message per situation users hit, naming the repository and what to do.
import { StoreError } from './modelStore';

export interface GcsErrorContext {
  /** e.g. `gs://bucket/models` */
  readonly repository: string;
  readonly bucket: string;
  /** The emulator or custom endpoint, when not Google's. */
  readonly endpoint?: string;
  readonly keyFilename?: string;
  readonly action: string;
}

interface GcsErrorShape {
  code?: number | string;
  message?: string;
  errors?: { reason?: string; message?: string }[];
  cause?: unknown;
}

export function mapGcsError(e: unknown, ctx: GcsErrorContext): StoreError {
  if (e instanceof StoreError) return e;
  const err = (e ?? {}) as GcsErrorShape;
  const text = err.message ?? String(e);
  const reason = err.errors?.[0]?.reason ?? '';
  const status = typeof err.code === 'number' ? err.code : undefined;
  const sys = systemCode(e);
  const at = `Cannot ${ctx.action} in ${ctx.repository}`;
  const credentialSource = ctx.keyFilename ? `the service-account key file ${ctx.keyFilename}` : 'Application Default Credentials';

  if (/Could not load the default credentials/i.test(text)) {
    return new StoreError(`${at}: no Google Cloud credentials found.`,
      'Run "gcloud auth application-default login", set GOOGLE_APPLICATION_CREDENTIALS, or pick a service-account key file for this repository.', 'NoCredentials');
  }
  if (ctx.keyFilename && (sys === 'ENOENT' || sys === 'EACCES') && !status) {
    return new StoreError(`${at}: cannot read the service-account key file ${ctx.keyFilename} (${sys}).`, 'Pick the JSON key file again.', 'KeyFileUnreadable');
  }
  if (/invalid_grant|invalid jwt|reauth|token has been expired or revoked|invalid_rapt/i.test(text)) {
    return new StoreError(`${at}: the credentials were rejected (expired or revoked) by Google.`,
      ctx.keyFilename ? 'The service-account key may have been deleted: create a new key and pick it for this repository.' : 'Run "gcloud auth application-default login" again.', 'CredentialsRejected');
  }
  if (sys && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'].includes(sys)) {
    return new StoreError(`${at}: ${ctx.endpoint ?? 'Google Cloud Storage'} is unreachable (${sys}).`,
      ctx.endpoint ? 'Check that the emulator/server is running and the endpoint (STORAGE_EMULATOR_HOST or the repository\'s endpoint) is right.' : 'Check your network connection or proxy settings.', 'Unreachable');
  }
  if (status === 401) {
    return new StoreError(`${at}: the credentials are invalid (HTTP 401).`, `Check ${credentialSource}.`, 'Unauthenticated');
  }
  if (status === 403) {
    return new StoreError(`${at}: permission denied.`,
      `The identity from ${credentialSource} needs storage.objects.list (and .get/.create/.delete to publish or delete) on bucket "${ctx.bucket}" — e.g. the Storage Object Admin role.`, 'AccessDenied');
  }
  if (status === 404 && (/bucket/i.test(text) || reason === 'notFound' && /bucket/i.test(err.errors?.[0]?.message ?? ''))) {
    return new StoreError(`${at}: bucket "${ctx.bucket}" does not exist.`, 'Check the bucket name (and the project/emulator it lives in).', 'NoSuchBucket');
  }
  if (status === 404) {
    return new StoreError(`${at}: not found (bucket "${ctx.bucket}" or the object does not exist).`, 'Check the bucket name and prefix.', 'NotFound');
  }
  return new StoreError(`${at}: ${text}`, 'Check the repository settings and try again.', String(err.code ?? 'Unknown'));
}

function systemCode(e: unknown): string | undefined {
  for (let cur: any = e, depth = 0; cur && depth < 5; cur = cur.cause ?? cur.originalError, depth++) {
    if (typeof cur.code === 'string' && /^E[A-Z_]+$/.test(cur.code)) return cur.code;
    if (typeof cur.errno === 'string' && /^E[A-Z_]+$/.test(cur.errno)) return cur.errno;
    const m = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/.exec(cur.message ?? '');
    if (m) return m[1];
  }
  return undefined;
}
