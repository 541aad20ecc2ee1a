// ServingSpec → the body for dockerode's createContainer plus the config files to write first. Pure: no I/O,
// so the CLI's --dry-run, "Copy as docker run" and the real start share one definition.
import * as path from 'path';
import { batchingParametersText } from '../configs/batchingParameters';
import { modelServerConfigText, type ServedModelConfig } from '../configs/modelServerConfig';
import { DEFAULT_PROMETHEUS_PATH, monitoringConfigText } from '../configs/monitoringConfig';
import { modelServerArg } from './modelServerFlags';
import { sourceUri, validateServingSpec, type ServingSpec } from './servingSpec';

export const LABEL_PREFIX = 'tfserving-studio.';
export const LABELS = {
  managed: `${LABEL_PREFIX}managed`,
  modelName: `${LABEL_PREFIX}model-name`,
  sourceUri: `${LABEL_PREFIX}source-uri`,
  restPort: `${LABEL_PREFIX}rest-port`,
  grpcPort: `${LABEL_PREFIX}grpc-port`,
  monitoringPath: `${LABEL_PREFIX}monitoring-path`,
  configDir: `${LABEL_PREFIX}config-dir`,
} as const;

/** Where generated files, secrets and models appear inside the container. */
export const CONTAINER_CONFIG_DIR = '/etc/tfserving-studio';
export const CONTAINER_GCP_KEY = '/run/secrets/tfserving-studio/gcp-service-account.json';
export const CONTAINER_MODELS_DIR = '/models';

/** Env vars whose values are credentials: never printed, logged or written anywhere but the container. */
export const SECRET_ENV_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
export const MASK = '********';

export interface Mount { Type: 'bind'; Source: string; Target: string; ReadOnly: boolean }
export interface PortBinding { HostIp: string; HostPort: string }
export interface DeviceRequest { Driver: string; Count: number; Capabilities: string[][] }

export interface ContainerCreateBody {
  name?: string;
  Image: string;
  Cmd: string[];
  Env: string[];
  ExposedPorts: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
  HostConfig: {
    Mounts: Mount[];
    PortBindings: Record<string, PortBinding[]>;
    Init: boolean;
    DeviceRequests?: DeviceRequest[];
    Runtime?: string;
  };
}

export interface ConfigFile { path: string; content: string }
export interface ContainerPlan { create: ContainerCreateBody; files: ConfigFile[] }

export function imageName(spec: Pick<ServingSpec, 'imageTag' | 'device' | 'imageRepository'>): string {
  const tag = spec.device === 'gpu' && !spec.imageTag.endsWith('-gpu') ? `${spec.imageTag}-gpu` : spec.imageTag;
  return `${spec.imageRepository ?? 'tensorflow/serving'}:${tag}`;
}

function parentAndName(uri: string): { parent: string; name: string } {
  const trimmed = uri.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return { parent: trimmed.slice(0, i), name: trimmed.slice(i + 1) };
}

export function containerCreateBody(spec: ServingSpec): ContainerPlan {
  const problems = validateServingSpec(spec);
  if (problems.length) throw new Error(problems.join(' '));
  const files: ConfigFile[] = [];
  const env: string[] = [];
  const cmd: string[] = [];
  const mounts: Mount[] = [];
  const src = spec.source;

  // The model's base path as the server sees it, and how the image's MODEL_BASE_PATH/MODEL_NAME reach it.
  let basePath: string;
  switch (src.kind) {
    case 'local':
    case 's3-mirror': {
      basePath = `${CONTAINER_MODELS_DIR}/${spec.modelName}`;
      mounts.push({ Type: 'bind', Source: src.kind === 'local' ? src.modelDir : src.mirrorDir, Target: basePath, ReadOnly: true });
      break;
    }
    case 'gcs':
    case 's3-pinned': {
      basePath = src.baseUri.replace(/\/+$/, '');
      const { parent, name } = parentAndName(basePath);
      if (name === spec.modelName) env.push(`MODEL_BASE_PATH=${parent}`);
      else cmd.push(modelServerArg('model_base_path', basePath)); // later flags win in TF's parser
      if (src.kind === 'gcs' && src.serviceAccountFile) {
        mounts.push({ Type: 'bind', Source: src.serviceAccountFile, Target: CONTAINER_GCP_KEY, ReadOnly: true });
        env.push(`GOOGLE_APPLICATION_CREDENTIALS=${CONTAINER_GCP_KEY}`);
      }
      if (src.kind === 's3-pinned') {
        if (src.region) env.push(`AWS_REGION=${src.region}`);
        if (src.endpoint) env.push(`S3_ENDPOINT=${src.endpoint}`);
        if (src.useHttps !== undefined) env.push(`S3_USE_HTTPS=${src.useHttps ? 1 : 0}`);
        if (src.verifySsl !== undefined) env.push(`S3_VERIFY_SSL=${src.verifySsl ? 1 : 0}`);
        if (src.credentials) {
          env.push(`AWS_ACCESS_KEY_ID=${src.credentials.accessKeyId}`, `AWS_SECRET_ACCESS_KEY=${src.credentials.secretAccessKey}`);
          if (src.credentials.sessionToken) env.push(`AWS_SESSION_TOKEN=${src.credentials.sessionToken}`);
        }
      }
      break;
    }
  }
  env.unshift(`MODEL_NAME=${spec.modelName}`);

  const configFile = (name: string, content: string) => {
    files.push({ path: path.join(spec.configDir, name), content });
    return `${CONTAINER_CONFIG_DIR}/${name}`;
  };
  const v = spec.versions;
  if (v && (v.policy || (v.labels && Object.keys(v.labels).length))) {
    const model: ServedModelConfig = {
      name: spec.modelName, basePath, versionPolicy: v.policy, versionLabels: v.labels,
    };
    cmd.push(modelServerArg('model_config_file', configFile('models.config', modelServerConfigText([model]))));
    if (v.allowLabelsForUnavailableModels) cmd.push(modelServerArg('allow_version_labels_for_unavailable_models', true));
  }
  const monitoringPath = spec.monitoringPath || DEFAULT_PROMETHEUS_PATH;
  if (spec.monitoring) {
    cmd.push(modelServerArg('monitoring_config_file', configFile('monitoring.config', monitoringConfigText({ enable: true, path: monitoringPath }))));
  }
  if (spec.batching) {
    cmd.push(modelServerArg('enable_batching', true));
    cmd.push(modelServerArg('batching_parameters_file', configFile('batching.config', batchingParametersText(spec.batching))));
  }
  if (spec.pollSeconds !== undefined) cmd.push(modelServerArg('file_system_poll_wait_seconds', spec.pollSeconds));
  if (spec.preferTfliteModel) cmd.push(modelServerArg('prefer_tflite_model', true));
  if (files.length) mounts.push({ Type: 'bind', Source: spec.configDir, Target: CONTAINER_CONFIG_DIR, ReadOnly: true });

  const hostConfig: ContainerCreateBody['HostConfig'] = {
    Mounts: mounts,
    PortBindings: {
      '8501/tcp': [{ HostIp: spec.bindAddress, HostPort: String(spec.restPort) }],
      '8500/tcp': [{ HostIp: spec.bindAddress, HostPort: String(spec.grpcPort) }],
    },
    // tini as PID 1 forwards SIGTERM, so `docker stop` returns at once instead of after the 10 s timeout.
    Init: true,
  };
  if (spec.device === 'gpu') {
    if (spec.gpuMode === 'nvidia-runtime') hostConfig.Runtime = 'nvidia';
    else hostConfig.DeviceRequests = [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }];
  }
  const create: ContainerCreateBody = {
    ...(spec.containerName ? { name: spec.containerName } : {}),
    Image: imageName(spec),
    Cmd: cmd,
    Env: env,
    ExposedPorts: { '8500/tcp': {}, '8501/tcp': {} },
    Labels: {
      [LABELS.managed]: 'true',
      [LABELS.modelName]: spec.modelName,
      [LABELS.sourceUri]: sourceUri(src),
      [LABELS.restPort]: String(spec.restPort),
      [LABELS.grpcPort]: String(spec.grpcPort),
      [LABELS.monitoringPath]: spec.monitoring ? monitoringPath : '',
      [LABELS.configDir]: spec.configDir,
    },
    HostConfig: hostConfig,
  };
  return { create, files };
}

/** A copy safe to print: credential env values replaced by a mask. */
export function maskCreateBody(body: ContainerCreateBody): ContainerCreateBody {
  return {
    ...body,
    Env: body.Env.map((e) => {
      const eq = e.indexOf('=');
      return (SECRET_ENV_NAMES as readonly string[]).includes(e.slice(0, eq)) ? `${e.slice(0, eq)}=${MASK}` : e;
    }),
  };
}
