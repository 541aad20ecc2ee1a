// From what the user points at (a model folder, a version folder, a gs:// or s3:// URI) to the model name, the
// serving source and, for a version, the policy that serves exactly that version.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VersionPolicy } from '../configs/modelServerConfig';
import { baseName, formatLocation, parentLocation, parseLocation } from '../location';
import { parseVersionFolder } from '../model/versionRules';
import type { S3Credentials, ServingSource } from './servingSpec';

export interface ServingTarget {
  readonly modelName: string;
  readonly source: ServingSource;
  /** Set when a version folder was chosen: serve that version only. */
  readonly versionPolicy?: VersionPolicy;
}

export interface TargetOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly modelName?: string;
  /** s3://: copy into a local folder (default) or read it from an image pinned to 2.6. */
  readonly s3Mode?: 'mirror' | 'pinned';
  readonly mirrorDir?: string;
  readonly serviceAccountFile?: string;
}

/** A model name TF Serving and Docker accept, from a folder name. */
export function modelNameFrom(folder: string): string {
  const n = folder.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return n || 'model';
}

/** S3 settings for the 2.6 image from the standard AWS environment. Secrets stay in memory. */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv): { region?: string; endpoint?: string; useHttps?: boolean; verifySsl?: boolean; credentials?: S3Credentials } {
  const endpointUrl = env.S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  let endpoint: string | undefined;
  let useHttps: boolean | undefined;
  if (endpointUrl) {
    const m = /^(https?):\/\/([^/]+)/.exec(endpointUrl);
    endpoint = m ? m[2] : endpointUrl;
    if (m) useHttps = m[1] === 'https';
  }
  if (env.S3_USE_HTTPS !== undefined) useHttps = env.S3_USE_HTTPS !== '0' && env.S3_USE_HTTPS !== 'false';
  const verifySsl = env.S3_VERIFY_SSL !== undefined ? env.S3_VERIFY_SSL !== '0' && env.S3_VERIFY_SSL !== 'false' : undefined;
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
    : undefined;
  return { region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION, endpoint, useHttps, verifySsl, credentials };
}

export function resolveServingTarget(uri: string, o: TargetOptions): ServingTarget {
  let loc = parseLocation(uri, o.cwd);
  let versionPolicy: VersionPolicy | undefined;
  const last = baseName(loc);
  const version = parseVersionFolder(last);
  if (loc.scheme === 'file') {
    if (!fs.existsSync(loc.path)) throw new Error(`${loc.path} does not exist.`);
    // A version folder: its parent is the model; serve this version only.
    if (version !== undefined && fs.statSync(loc.path).isDirectory()) {
      versionPolicy = { kind: 'specific', versions: [version] };
      loc = parentLocation(loc);
    }
    return { modelName: o.modelName ?? modelNameFrom(baseName(loc)), source: { kind: 'local', modelDir: loc.path }, versionPolicy };
  }
  if (version !== undefined) {
    versionPolicy = { kind: 'specific', versions: [version] };
    loc = parentLocation(loc);
  }
  const modelName = o.modelName ?? modelNameFrom(baseName(loc));
  const baseUri = formatLocation(loc);
  if (loc.scheme === 'gs') {
    return { modelName, source: { kind: 'gcs', baseUri, serviceAccountFile: o.serviceAccountFile ?? o.env.GOOGLE_APPLICATION_CREDENTIALS }, versionPolicy };
  }
  if (o.s3Mode === 'pinned') return { modelName, source: { kind: 's3-pinned', baseUri, ...s3SettingsFromEnv(o.env) }, versionPolicy };
  const mirrorDir = o.mirrorDir ?? path.join(o.env.HOME ?? os.homedir(), '.cache', 'tfserving-studio', 'mirrors', loc.bucket, ...loc.path.split('/'));
  return { modelName, source: { kind: 's3-mirror', baseUri, mirrorDir }, versionPolicy };
}
