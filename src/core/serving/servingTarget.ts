// The one serving-target decision, for the editor and the CLI alike: from what the user points at (a model or
// version folder, a gs:// or s3:// URI) and what they chose, to the ServingSpec — model name, image and tag, the
// TFLite flag, S3 endpoint/region/credentials, the GCS key mount, ports, container name and config folder.
// The environment and the credentials are passed in; nothing here reads process.env or the editor's secrets.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_BATCHING_PARAMETERS } from '../configs/batchingParameters';
import type { VersionPolicy } from '../configs/modelServerConfig';
import { baseName, formatLocation, parentLocation, parseLocation, type ModelLocation } from '../location';
import { containerNameProblem, defaultContainerName, modelNameFromFolder, requireName } from '../names';
import { checkVersionFiles, parseVersionFolder, type VersionFormat } from '../model/versionRules';
import { DEFAULT_GRPC_PORT, DEFAULT_REST_PORT, PINNED_S3_IMAGE_TAG, defaultServingSpec, type S3Credentials, type ServingSource, type ServingSpec } from './servingSpec';

/** A serving source; a mirror's folder may be left to servingSpecFor (one per container). */
export type TargetSource = Exclude<ServingSource, { kind: 's3-mirror' }> | { readonly kind: 's3-mirror'; readonly baseUri: string; readonly mirrorDir?: string };

export interface ServingTarget {
  readonly modelName: string;
  /** The model (the folder holding numbered versions), as the tree and the container label name it. */
  readonly model: ModelLocation;
  readonly source: TargetSource;
  /** Set when one version was chosen that the server would not load by itself: serve that version only. */
  readonly versionPolicy?: VersionPolicy;
  /** Format of the version the server will load, when known: model.tflite needs --prefer_tflite_model. */
  readonly format?: VersionFormat;
}

/** A repository's connection settings (editor settings or CLI flags); they win over the environment. */
export interface RepositoryServingOptions {
  readonly region?: string;
  /** The S3 endpoint as a URL (http://host:port); TF Serving's S3_ENDPOINT takes host:port plus S3_USE_HTTPS. */
  readonly endpoint?: string;
  /** GCS service-account key file, mounted read-only. */
  readonly keyFile?: string;
}

export interface TargetOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly modelName?: string;
  /** s3://: copy into a local folder (default) or read it from an image pinned to 2.6. */
  readonly s3Mode?: 'mirror' | 'pinned';
  /** The mirror folder of an s3:// model; by default one per container below ServingPaths.mirrorRoot. */
  readonly mirrorDir?: string;
  readonly repository?: RepositoryServingOptions;
  /** S3 keys from the editor's secret storage; the standard AWS variables of `env` otherwise. */
  readonly credentials?: S3Credentials;
  /** The version chosen, when `where` names the model (a version node in the tree). */
  readonly version?: number;
  /** The version served without a policy (the tree knows it; local folders are looked at otherwise). */
  readonly defaultVersion?: number;
  /** Format of the version to serve, when the caller knows it; local folders are looked at otherwise. */
  readonly format?: VersionFormat;
}

/** S3 settings for the 2.6 image: repository settings first, then the standard AWS environment. Secrets stay in memory. */
export function s3Settings(env: NodeJS.ProcessEnv, repository: RepositoryServingOptions = {}, credentials?: S3Credentials): Omit<Extract<ServingSource, { kind: 's3-pinned' }>, 'kind' | 'baseUri'> {
  const endpointUrl = repository.endpoint ?? env.S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  let endpoint: string | undefined;
  let useHttps: boolean | undefined;
  if (endpointUrl) {
    const m = /^(https?):\/\/([^/]+)/i.exec(endpointUrl);
    endpoint = m ? m[2].replace(/^[^@]*@/, '') : endpointUrl;
    if (m) useHttps = m[1].toLowerCase() === 'https';
  }
  const flag = (v: string | undefined) => (v === undefined ? undefined : v !== '0' && v.toLowerCase() !== 'false');
  useHttps = flag(env.S3_USE_HTTPS) ?? useHttps;
  const verifySsl = flag(env.S3_VERIFY_SSL);
  const keys = credentials ?? (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
    : undefined);
  return {
    region: repository.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    endpoint, useHttps, verifySsl, credentials: keys,
  };
}

/** What a local model folder holds: the version served by default and each version's format. */
function localVersions(modelDir: string): Map<number, VersionFormat | undefined> {
  const out = new Map<number, VersionFormat | undefined>();
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(modelDir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const v = parseVersionFolder(e.name);
    if (v === undefined || !e.isDirectory()) continue;
    let files: string[] = [];
    try { files = fs.readdirSync(path.join(modelDir, e.name)); } catch { /* unreadable: not loadable */ }
    const validity = checkVersionFiles(files);
    out.set(v, validity.valid ? validity.format : undefined);
  }
  return out;
}

/** `where`: a typed path or URI (model or version), or the model's location from the tree. */
export function resolveServingTarget(where: string | ModelLocation, o: TargetOptions): ServingTarget {
  let loc = typeof where === 'string' ? parseLocation(where, o.cwd) : where;
  let version = o.version;
  const last = parseVersionFolder(baseName(loc));
  // A typed-in path may name a version folder; a location from the tree always names the model.
  if (typeof where === 'string' && version === undefined && last !== undefined && (loc.scheme !== 'file' || isDirectory(loc.path))) {
    version = last;
    loc = parentLocation(loc);
  }
  if (loc.scheme === 'file' && !fs.existsSync(loc.path)) throw new Error(`${loc.path} does not exist.`);
  // The tree already knows the default version and its format; a typed-in folder is looked at.
  const local = loc.scheme === 'file' && (o.defaultVersion === undefined || o.format === undefined) ? localVersions(loc.path) : undefined;
  const defaultVersion = o.defaultVersion ?? (local ? Math.max(-1, ...[...local].filter(([, f]) => f).map(([v]) => v)) : undefined);
  const served = version ?? (defaultVersion !== undefined && defaultVersion >= 0 ? defaultVersion : undefined);
  const format = o.format ?? (served !== undefined ? local?.get(served) : undefined);
  const versionPolicy: VersionPolicy | undefined = version !== undefined && version !== defaultVersion ? { kind: 'specific', versions: [version] } : undefined;
  const modelName = o.modelName ?? modelNameFromFolder(baseName(loc));
  const base = { modelName, model: loc, versionPolicy, format };
  if (loc.scheme === 'file') return { ...base, source: { kind: 'local', modelDir: loc.path } };
  const baseUri = formatLocation(loc);
  if (loc.scheme === 'gs') {
    return { ...base, source: { kind: 'gcs', baseUri, serviceAccountFile: o.repository?.keyFile ?? o.env.GOOGLE_APPLICATION_CREDENTIALS } };
  }
  if (o.s3Mode === 'pinned') return { ...base, source: { kind: 's3-pinned', baseUri, ...s3Settings(o.env, o.repository, o.credentials) } };
  return { ...base, source: { kind: 's3-mirror', baseUri, mirrorDir: o.mirrorDir } };
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** What the user chose beyond the target (quick picks or flags); absent fields take the defaults. */
export interface ServingChoices {
  readonly imageTag?: string;
  readonly imageRepository?: string;
  readonly device?: 'cpu' | 'gpu';
  readonly gpuMode?: 'device-request' | 'nvidia-runtime';
  readonly restPort?: number;
  readonly grpcPort?: number;
  readonly bindAddress?: string;
  readonly monitoring?: boolean;
  readonly monitoringPath?: string;
  readonly pollSeconds?: number;
  readonly batching?: boolean;
  /** Force --prefer_tflite_model (for a bucket model whose files were not looked at). */
  readonly preferTfliteModel?: boolean;
  /** Serve exactly these versions (e.g. an original and its conversion). */
  readonly versions?: readonly number[];
  readonly labels?: Readonly<Record<string, number>>;
  readonly allowLabelsForUnavailableModels?: boolean;
  readonly containerName?: string;
  /** The config folder; by default <configRoot>/<container name>. */
  readonly configDir?: string;
}

/** Where a container's generated files and S3 mirror live: <root>/<container name>. */
export interface ServingPaths {
  readonly configRoot: string;
  readonly mirrorRoot: string;
}

/** The ServingSpec for a target and the user's choices: the editor's Start TF Serving and `serve` both end here. */
export function servingSpecFor(target: ServingTarget, c: ServingChoices, paths: ServingPaths): ServingSpec {
  const restPort = c.restPort ?? DEFAULT_REST_PORT;
  const containerName = c.containerName ?? defaultContainerName(target.modelName, restPort);
  // Checked before it becomes a folder name: "../x" must never reach path.join.
  requireName(containerNameProblem(containerName));
  const policy: VersionPolicy | undefined = c.versions?.length ? { kind: 'specific', versions: [...c.versions] } : target.versionPolicy;
  const labels = c.labels && Object.keys(c.labels).length ? c.labels : undefined;
  const t = target.source;
  // One mirror per container: two mirrors in one folder would drop each other's half-copied versions.
  const source: ServingSource = t.kind === 's3-mirror' ? { ...t, mirrorDir: t.mirrorDir ?? path.join(paths.mirrorRoot, containerName) } : t;
  const pinned = source.kind === 's3-pinned';
  return defaultServingSpec({
    modelName: target.modelName,
    source,
    imageTag: c.imageTag ?? (pinned ? PINNED_S3_IMAGE_TAG : 'latest'),
    ...(c.imageRepository ? { imageRepository: c.imageRepository } : {}),
    device: c.device ?? 'cpu',
    ...(c.gpuMode ? { gpuMode: c.gpuMode } : {}),
    restPort,
    grpcPort: c.grpcPort ?? DEFAULT_GRPC_PORT,
    bindAddress: c.bindAddress ?? '127.0.0.1',
    monitoring: c.monitoring ?? true,
    monitoringPath: c.monitoringPath,
    pollSeconds: c.pollSeconds,
    batching: c.batching ? DEFAULT_BATCHING_PARAMETERS : undefined,
    preferTfliteModel: c.preferTfliteModel || target.format === 'tflite' || undefined,
    versions: policy || labels ? { policy, labels, allowLabelsForUnavailableModels: c.allowLabelsForUnavailableModels || undefined } : undefined,
    containerName,
    configDir: c.configDir ?? path.join(paths.configRoot, containerName),
  });
}
