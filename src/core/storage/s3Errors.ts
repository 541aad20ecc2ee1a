// Turns S3 SDK failures into one message per situation users actually hit, naming the repository and what to do.
// Raw SDK text is never passed through for auth failures, and known secrets are scrubbed from anything that is.
import { StoreError } from './modelStore';

export interface S3ErrorContext {
  /** e.g. `s3://bucket/models` */
  readonly repository: string;
  readonly bucket: string;
  readonly endpoint?: string;
  readonly profile?: string;
  /** What we were doing, e.g. "list versions". */
  readonly action: string;
  /** Values that must never appear in a message (secret key, session token). */
  readonly secrets: readonly string[];
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
}

export function mapS3Error(e: unknown, ctx: S3ErrorContext): StoreError {
  if (e instanceof StoreError) return e;
  const err = (e ?? {}) as SdkErrorShape;
  const code = err.name === 'Error' || !err.name ? err.Code ?? err.code ?? '' : err.name;
  const status = err.$metadata?.httpStatusCode ?? err.$response?.statusCode;
  const sysCode = systemCode(e);
  const where = `${ctx.repository}`;
  const msg = (m: string, hint: string, c: string) => new StoreError(scrub(m, ctx.secrets), scrub(hint, ctx.secrets), c);
  const credentialSource = ctx.profile ? `profile "${ctx.profile}"` : 'the repository\'s stored keys or the AWS_* environment variables';

  switch (code) {
    case 'SignatureDoesNotMatch':
      return msg(`Cannot ${ctx.action} in ${where}: the secret access key is wrong (the server rejected the request signature).`,
        `Set the secret access key for this repository again, or fix the secret in ${credentialSource}.`, code);
    case 'InvalidAccessKeyId':
      return msg(`Cannot ${ctx.action} in ${where}: the server does not know this access key id.`,
        `Check the access key id for this repository (${credentialSource}); it may have been deleted or belong to another account or endpoint.`, code);
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
      return msg(`Cannot ${ctx.action} in ${where}: the session credentials have expired.`,
        ctx.profile ? `Run "aws sso login --profile ${ctx.profile}" (or refresh the profile's credentials), then refresh.` : 'Refresh the temporary credentials (session token) and try again.', code);
    case 'NoSuchBucket':
      return msg(`Cannot ${ctx.action} in ${where}: bucket "${ctx.bucket}" does not exist${ctx.endpoint ? ` at ${ctx.endpoint}` : ''}.`,
        'Check the bucket name and the endpoint/region of this repository.', code);
    case 'AccessDenied':
    case 'AllAccessDisabled':
    case 'Forbidden':
      return msg(`Cannot ${ctx.action} in ${where}: access denied.`,
        'The credentials work but lack permission on this prefix: ask for s3:ListBucket on the bucket (for this prefix) and s3:GetObject / s3:PutObject / s3:DeleteObject on its keys.', 'AccessDenied');
    case 'CredentialsProviderError':
      return credentialsError(err.message ?? '', ctx, msg);
  }
  if (/Region is missing/i.test(err.message ?? '')) {
    return msg(`Cannot ${ctx.action} in ${where}: no AWS region is configured.`, 'Set a region for this repository (or AWS_REGION, or region in the profile).', 'RegionMissing');
  }
  if (sysCode && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'].includes(sysCode) || code === 'TimeoutError' || /timed? ?out/i.test(err.message ?? '') && !status) {
    const target = ctx.endpoint ?? 'the S3 endpoint';
    return msg(`Cannot ${ctx.action} in ${where}: ${target} is unreachable (${sysCode ?? 'timeout'}).`,
      ctx.endpoint ? 'Check that the server is running and the endpoint URL (host, port, http/https) is right.' : 'Check your network connection or proxy settings.', 'Unreachable');
  }
  if (status === 404) {
    return msg(`Cannot ${ctx.action} in ${where}: not found (bucket "${ctx.bucket}" or the object does not exist).`, 'Check the bucket name, prefix and endpoint.', 'NotFound');
  }
  if (status === 403) {
    return msg(`Cannot ${ctx.action} in ${where}: access denied (HTTP 403).`,
      'Check the credentials and that they may list and read this prefix.', 'AccessDenied');
  }
  if (status === 301 || code === 'PermanentRedirect') {
    return msg(`Cannot ${ctx.action} in ${where}: the bucket is in another region.`, 'Set the bucket\'s region for this repository.', 'WrongRegion');
  }
  return msg(`Cannot ${ctx.action} in ${where}: ${code ? code + ': ' : ''}${err.message ?? String(e)}`, 'Check the repository settings and try again.', code || 'Unknown');
}

function credentialsError(text: string, ctx: S3ErrorContext, msg: (m: string, h: string, c: string) => StoreError): StoreError {
  if (/sso|token.*expired|expired.*token/i.test(text)) {
    return msg(`Cannot ${ctx.action} in ${ctx.repository}: the SSO session${ctx.profile ? ` of profile "${ctx.profile}"` : ''} has expired or was never started.`,
      `Run "aws sso login${ctx.profile ? ` --profile ${ctx.profile}` : ''}", then refresh.`, 'SsoExpired');
  }
  if (ctx.profile && /profile|could not find|not found/i.test(text)) {
    return msg(`Cannot ${ctx.action} in ${ctx.repository}: AWS profile "${ctx.profile}" has no usable credentials.`,
      'Check ~/.aws/config and ~/.aws/credentials for that profile (keys, sso_session or credential_process).', 'ProfileInvalid');
  }
  return msg(`Cannot ${ctx.action} in ${ctx.repository}: no AWS credentials found.`,
    'Set keys for this repository, choose a profile, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE).', 'NoCredentials');
}

function systemCode(e: unknown): string | undefined {
  for (let cur: any = e, depth = 0; cur && depth < 5; cur = cur.cause, depth++) {
    if (typeof cur.code === 'string' && /^E[A-Z_]+$/.test(cur.code)) return cur.code;
    if (Array.isArray(cur.errors)) {
      const inner = cur.errors.find((x: any) => typeof x?.code === 'string');
      if (inner) return inner.code;
    }
  }
  return undefined;
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
