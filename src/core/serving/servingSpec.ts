// What the user asked for when starting a TF Serving container: plain data, no Docker types. The create body,
// the config files and the "docker run" line are all derived from it.
import type { BatchingParameters } from '../configs/batchingParameters';
import type { VersionPolicy } from '../configs/modelServerConfig';
import { formatLocation, parseLocation, type ModelLocation } from '../location';
import { containerNameProblem, imageRepositoryProblem, imageTagProblem, modelNameProblem } from '../names';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type ServingSource =
  /** A local model folder (the one holding numbered versions), mounted read-only at /models/<name>. */
  | { readonly kind: 'local'; readonly modelDir: string }
  /** gs://bucket/…/model, read by the server itself with a service-account key file mounted read-only. */
  | { readonly kind: 'gcs'; readonly baseUri: string; readonly serviceAccountFile?: string }
  /** s3:// copied into a local folder by the extension (stock images from 2.7 on have no S3 file system). */
  | { readonly kind: 's3-mirror'; readonly baseUri: string; readonly mirrorDir: string }
  /** s3:// read by an image pinned to 2.6, the last release with S3 support. */
  | {
      readonly kind: 's3-pinned';
      readonly baseUri: string;
      readonly region?: string;
      readonly endpoint?: string;
      readonly useHttps?: boolean;
      readonly verifySsl?: boolean;
      readonly credentials?: S3Credentials;
    };

export interface ServedVersions {
  readonly policy?: VersionPolicy;
  readonly labels?: Readonly<Record<string, number>>;
  /** Passes --allow_version_labels_for_unavailable_models (labels may name versions not loaded yet). */
  readonly allowLabelsForUnavailableModels?: boolean;
}

export interface ServingSpec {
  readonly modelName: string;
  readonly source: ServingSource;
  /** Image repository; tensorflow/serving unless a registry mirror is used (e.g. registry.example.com/tensorflow/serving). */
  readonly imageRepository?: string;
  /** Image tag without the -gpu suffix, e.g. "latest" or "2.17.0". */
  readonly imageTag: string;
  readonly device: 'cpu' | 'gpu';
  /** How a GPU is requested: a device request (what `--gpus all` does) or the older `nvidia` runtime. */
  readonly gpuMode?: 'device-request' | 'nvidia-runtime';
  readonly restPort: number;
  readonly grpcPort: number;
  /** Host address the ports are published on: 127.0.0.1 unless the user asks otherwise. */
  readonly bindAddress: string;
  readonly monitoring: boolean;
  readonly monitoringPath?: string;
  /** --file_system_poll_wait_seconds; the server's own default (1) when undefined. */
  readonly pollSeconds?: number;
  readonly batching?: BatchingParameters;
  /** --prefer_tflite_model=true, for versions holding model.tflite. */
  readonly preferTfliteModel?: boolean;
  /** Several versions or labels: served through a --model_config_file. */
  readonly versions?: ServedVersions;
  readonly containerName?: string;
  /** Host folder for the generated config files (mounted read-only into the container). */
  readonly configDir: string;
}

export const DEFAULT_REST_PORT = 8501;
export const DEFAULT_GRPC_PORT = 8500;
export const PINNED_S3_IMAGE_TAG = '2.6.0';

export function defaultServingSpec(fields: Pick<ServingSpec, 'modelName' | 'source' | 'configDir'> & Partial<ServingSpec>): ServingSpec {
  return {
    imageTag: fields.source.kind === 's3-pinned' ? PINNED_S3_IMAGE_TAG : 'latest',
    device: 'cpu',
    restPort: DEFAULT_REST_PORT,
    grpcPort: DEFAULT_GRPC_PORT,
    bindAddress: '127.0.0.1',
    monitoring: true,
    ...fields,
  };
}

/** The model a source serves, as the Models view names it: the identity kept in the container's label. */
export function sourceLocation(source: ServingSource): ModelLocation {
  return source.kind === 'local' ? { scheme: 'file', bucket: '', path: source.modelDir } : parseLocation(source.baseUri);
}

/** The URI shown to the user and kept in the container's labels (formatLocation, so parseLocation reads it back). */
export function sourceUri(source: ServingSource): string {
  return formatLocation(sourceLocation(source));
}

/** Checks what a create body cannot express; returns the problems in words (empty when fine). */
export function validateServingSpec(spec: ServingSpec): string[] {
  const problems: string[] = [];
  const push = (p: string | undefined) => { if (p) problems.push(p); };
  push(modelNameProblem(spec.modelName));
  if (spec.containerName !== undefined) push(containerNameProblem(spec.containerName));
  for (const [what, p] of [['REST', spec.restPort], ['gRPC', spec.grpcPort]] as const) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) problems.push(`The ${what} port must be between 1 and 65535 (got ${p}).`);
  }
  if (spec.restPort === spec.grpcPort) problems.push('The REST and gRPC ports must differ.');
  push(imageTagProblem(spec.imageTag));
  if (spec.imageRepository !== undefined) push(imageRepositoryProblem(spec.imageRepository));
  if (spec.pollSeconds !== undefined && (!Number.isInteger(spec.pollSeconds) || spec.pollSeconds < 0)) problems.push('The poll interval is a whole number of seconds (0 polls once).');
  if (spec.source.kind === 'gcs' && !spec.source.baseUri.startsWith('gs://')) problems.push('A GCS source must be a gs:// URI.');
  if ((spec.source.kind === 's3-pinned' || spec.source.kind === 's3-mirror') && !spec.source.baseUri.startsWith('s3://')) problems.push('An S3 source must be an s3:// URI.');
  if (spec.source.kind === 's3-pinned' && !/^2\.6(\.|-|$)/.test(spec.imageTag)) {
    problems.push(`Reading s3:// directly needs tensorflow/serving 2.6 (images from 2.7 on fail with "File system scheme 's3' not implemented"); use tag ${PINNED_S3_IMAGE_TAG} or mirror mode.`);
  }
  return problems;
}
