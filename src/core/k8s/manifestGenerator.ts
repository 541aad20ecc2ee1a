// Options → the multi-document YAML that runs TF Serving on Kubernetes: Deployment, ConfigMap, Service, optional
// HPA and PDB. The server's flags, image name and config files come from the same helpers the Docker side uses
// (modelServerArg, imageName, modelServerConfigText, monitoringConfigText), so a container and a pod started
// from one ServingSpec never disagree. Credentials are never written: only Secret references plus the kubectl
// command that creates them from the user's own files.
import { stringify } from 'yaml';
import { modelServerConfigText } from '../configs/modelServerConfig';
import { DEFAULT_PROMETHEUS_PATH, monitoringConfigText } from '../configs/monitoringConfig';
import { CONTAINER_CONFIG_DIR, CONTAINER_MODELS_DIR, imageName } from '../serving/containerCreateBody';
import { modelServerArg } from '../serving/modelServerFlags';
import type { ServedVersions } from '../serving/servingSpec';
import { s3SyncArgs } from './s3SyncSidecar';
import { claimNameProblem, labelValueFrom, imageRepositoryProblem, imageTagProblem, modelNameProblem, namespaceProblem, subPathProblem } from '../names';

export type ManifestServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';
export const SERVICE_TYPES: readonly ManifestServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];

export type ManifestSource =
  /** gs://…/model, read by the server with a service-account key from a Secret. */
  | { readonly kind: 'gcs'; readonly baseUri: string }
  /** s3://…/model, copied by a sidecar into a shared emptyDir (stock images ≥ 2.7 cannot read s3://). */
  | { readonly kind: 's3'; readonly baseUri: string; readonly region?: string; readonly endpoint?: string }
  /** A PersistentVolumeClaim that already holds the model folder (numbered versions), mounted read-only. */
  | {
      readonly kind: 'pvc'; readonly claimName: string; readonly subPath?: string;
      /** The local folder the claim is to be filled from (a server started from a folder): said in the header. */
      readonly copyFrom?: string;
    };

export interface ManifestOptions {
  readonly modelName: string;
  readonly source: ManifestSource;
  readonly replicas?: number;
  readonly imageRepository?: string;
  readonly imageTag?: string;
  readonly device?: 'cpu' | 'gpu';
  /** GPUs per pod for the GPU variant (default 1). */
  readonly gpuCount?: number;
  readonly serviceType?: ManifestServiceType;
  readonly hpa?: boolean | { readonly minReplicas?: number; readonly maxReplicas?: number; readonly cpuUtilization?: number };
  readonly pdb?: boolean;
  readonly namespace?: string;
  /** --file_system_poll_wait_seconds (default 30: a bucket is polled, not a local disk). */
  readonly pollSeconds?: number;
  readonly monitoringPath?: string;
  /** Version policy and labels: written as a model config in the ConfigMap. */
  readonly versions?: ServedVersions;
  /** --model_config_file_poll_wait_seconds when a model config is used (default 60). */
  readonly configPollSeconds?: number;
  readonly resources?: { readonly cpu?: string; readonly memory?: string; readonly memoryLimit?: string };
  /** Secret names; default <app>-gcp-sa / <app>-aws. */
  readonly secretName?: string;
  /** Sidecar image for S3 (needs sh and the aws CLI). */
  readonly s3SyncImage?: string;
}

export interface GeneratedManifests {
  /** The multi-document YAML, with the Secret commands as a comment on top. */
  readonly yaml: string;
  readonly documents: readonly Record<string, unknown>[];
  /** Secrets the pods reference and that the user must create (never generated with a key inside). */
  readonly secrets: readonly { readonly name: string; readonly command: string }[];
  readonly appName: string;
}

export const REST_PORT = 8501;
export const GRPC_PORT = 8500;
export const GCP_KEY_DIR = '/var/secrets/google';
export const GCP_KEY_FILE = 'key.json';
export const DEFAULT_S3_SYNC_IMAGE = 'amazon/aws-cli:2.17.0';

/** A DNS-1123 name from the model name: Kubernetes object names are lowercase letters, digits and "-". */
export function appNameFor(modelName: string): string {
  const base = modelName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'model';
  return `tfserving-${base}`.replace(/-+$/, '');
}

function checkOptions(o: ManifestOptions): void {
  const problems: string[] = [];
  const push = (p: string | undefined) => { if (p) problems.push(p); };
  push(modelNameProblem(o.modelName));
  const replicas = o.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 1000) problems.push(`Replicas must be a whole number from 1 to 1000 (got ${o.replicas}).`);
  if (o.source.kind === 'gcs' && !/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}(\/.*)?$/.test(o.source.baseUri)) problems.push(`"${o.source.baseUri}" is not a gs:// URI.`);
  if (o.source.kind === 's3' && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,62}(\/.*)?$/.test(o.source.baseUri)) problems.push(`"${o.source.baseUri}" is not an s3:// URI.`);
  if (o.source.kind === 'pvc') {
    push(claimNameProblem(o.source.claimName));
    if (o.source.subPath !== undefined) push(subPathProblem(o.source.subPath));
  }
  if (o.imageTag !== undefined) push(imageTagProblem(o.imageTag));
  if (o.imageRepository !== undefined) push(imageRepositoryProblem(o.imageRepository));
  if (o.serviceType && !SERVICE_TYPES.includes(o.serviceType)) problems.push(`Service type must be one of ${SERVICE_TYPES.join(', ')} (got ${o.serviceType}).`);
  if (o.namespace !== undefined) push(namespaceProblem(o.namespace));
  if (o.pollSeconds !== undefined && (!Number.isInteger(o.pollSeconds) || o.pollSeconds < 0)) problems.push('The poll interval is a whole number of seconds.');
  if (o.gpuCount !== undefined && (!Number.isInteger(o.gpuCount) || o.gpuCount < 1)) problems.push('GPUs per pod must be a whole number ≥ 1.');
  if (problems.length) throw new Error(problems.join(' '));
}

/** The server's base path inside the pod, and how the pod gets the model there. */
function modelBasePath(o: ManifestOptions): string {
  switch (o.source.kind) {
    case 'gcs': return o.source.baseUri.replace(/\/+$/, '');
    default: return `${CONTAINER_MODELS_DIR}/${o.modelName}`;
  }
}

export function generateManifests(o: ManifestOptions): GeneratedManifests {
  checkOptions(o);
  const app = appNameFor(o.modelName);
  const replicas = o.replicas ?? 1;
  const device = o.device ?? 'cpu';
  const image = imageName({ imageTag: o.imageTag ?? 'latest', device, imageRepository: o.imageRepository });
  const ns = o.namespace ? { namespace: o.namespace } : {};
  const selector = { 'app.kubernetes.io/name': 'tfserving', 'app.kubernetes.io/instance': app };
  const labels = { ...selector, 'app.kubernetes.io/component': 'model-server', 'tfserving-studio/model': labelValueFrom(o.modelName) };
  const metadata = (name: string) => ({ name, ...ns, labels });
  const basePath = modelBasePath(o);
  const monitoringPath = o.monitoringPath || DEFAULT_PROMETHEUS_PATH;
  const configMapName = `${app}-config`;
  const secrets: { name: string; command: string }[] = [];

  // ConfigMap: the monitoring config always, the model config when a version policy or labels are asked for.
  const configData: Record<string, string> = { 'monitoring.config': monitoringConfigText({ enable: true, path: monitoringPath }) };
  const v = o.versions;
  const useModelConfig = !!v && (!!v.policy || (!!v.labels && Object.keys(v.labels).length > 0));
  if (useModelConfig) {
    configData['models.config'] = modelServerConfigText([{ name: o.modelName, basePath, versionPolicy: v!.policy, versionLabels: v!.labels }]);
  }

  const args = [modelServerArg('port', GRPC_PORT), modelServerArg('rest_api_port', REST_PORT)];
  if (useModelConfig) {
    // With a model config the server ignores --model_name/--model_base_path; the file names both. ConfigMap
    // edits reach the mounted file within about a minute, and the server re-reads it on this period.
    args.push(modelServerArg('model_config_file', `${CONTAINER_CONFIG_DIR}/models.config`),
      modelServerArg('model_config_file_poll_wait_seconds', o.configPollSeconds ?? 60));
    if (v!.allowLabelsForUnavailableModels) args.push(modelServerArg('allow_version_labels_for_unavailable_models', true));
  } else {
    args.push(modelServerArg('model_name', o.modelName), modelServerArg('model_base_path', basePath));
  }
  args.push(modelServerArg('monitoring_config_file', `${CONTAINER_CONFIG_DIR}/monitoring.config`),
    modelServerArg('file_system_poll_wait_seconds', o.pollSeconds ?? 30));

  const volumes: Record<string, unknown>[] = [{ name: 'config', configMap: { name: configMapName } }];
  const mounts: Record<string, unknown>[] = [{ name: 'config', mountPath: CONTAINER_CONFIG_DIR, readOnly: true }];
  const env: Record<string, unknown>[] = [];
  const sidecars: Record<string, unknown>[] = [];
  const src = o.source;
  if (src.kind === 'gcs') {
    const secretName = o.secretName ?? `${app}-gcp-sa`;
    volumes.push({ name: 'gcp-service-account', secret: { secretName, items: [{ key: GCP_KEY_FILE, path: GCP_KEY_FILE }] } });
    mounts.push({ name: 'gcp-service-account', mountPath: GCP_KEY_DIR, readOnly: true });
    env.push({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${GCP_KEY_DIR}/${GCP_KEY_FILE}` });
    secrets.push({ name: secretName, command: `kubectl create secret generic ${secretName}${o.namespace ? ` --namespace ${o.namespace}` : ''} --from-file=${GCP_KEY_FILE}=PATH/TO/service-account.json` });
  } else if (src.kind === 's3') {
    const secretName = o.secretName ?? `${app}-aws`;
    volumes.push({ name: 'models', emptyDir: {} });
    mounts.push({ name: 'models', mountPath: CONTAINER_MODELS_DIR, readOnly: true });
    const sidecarEnv: Record<string, unknown>[] = [];
    if (src.region) sidecarEnv.push({ name: 'AWS_REGION', value: src.region });
    if (src.endpoint) sidecarEnv.push({ name: 'AWS_ENDPOINT_URL', value: src.endpoint });
    sidecars.push({
      name: 's3-sync',
      image: o.s3SyncImage ?? DEFAULT_S3_SYNC_IMAGE,
      command: ['/bin/sh', '-c'],
      args: s3SyncArgs({ sourceUri: src.baseUri.replace(/\/+$/, ''), targetDir: basePath, intervalSeconds: o.pollSeconds ?? 30 }),
      ...(sidecarEnv.length ? { env: sidecarEnv } : {}),
      // Keys from the Secret as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN if present).
      envFrom: [{ secretRef: { name: secretName } }],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      volumeMounts: [{ name: 'models', mountPath: CONTAINER_MODELS_DIR }],
    });
    secrets.push({ name: secretName, command: `kubectl create secret generic ${secretName}${o.namespace ? ` --namespace ${o.namespace}` : ''} --from-env-file=PATH/TO/aws.env  # lines AWS_ACCESS_KEY_ID=… and AWS_SECRET_ACCESS_KEY=…` });
  } else {
    volumes.push({ name: 'models', persistentVolumeClaim: { claimName: src.claimName, readOnly: true } });
    mounts.push({ name: 'models', mountPath: basePath, readOnly: true, ...(src.subPath ? { subPath: src.subPath } : {}) });
  }

  const requests: Record<string, string> = { cpu: o.resources?.cpu ?? '1', memory: o.resources?.memory ?? '1Gi' };
  const limits: Record<string, string | number> = { memory: o.resources?.memoryLimit ?? '2Gi' };
  if (device === 'gpu') limits['nvidia.com/gpu'] = o.gpuCount ?? 1;
  const restPort = { port: 'http', scheme: 'HTTP' } as const;
  const server: Record<string, unknown> = {
    name: 'tfserving',
    image,
    command: ['/usr/bin/tensorflow_model_server'],
    args,
    ports: [{ name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' }, { name: 'http', containerPort: REST_PORT, protocol: 'TCP' }],
    ...(env.length ? { env } : {}),
    resources: { requests, limits },
    // Metadata answers 404 until a version is AVAILABLE, while the status endpoint already answers 200 during LOADING.
    readinessProbe: { httpGet: { path: `/v1/models/${o.modelName}/metadata`, ...restPort }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: `/v1/models/${o.modelName}`, ...restPort }, initialDelaySeconds: 30, periodSeconds: 15, failureThreshold: 4 },
    // The REST port opens only after the first load; a large model from a bucket may take minutes.
    startupProbe: { httpGet: { path: `/v1/models/${o.modelName}`, ...restPort }, periodSeconds: 10, failureThreshold: 60 },
    volumeMounts: mounts,
  };

  const podSpec: Record<string, unknown> = { containers: [server, ...sidecars], volumes };
  if (device === 'gpu') podSpec.tolerations = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: metadata(app),
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels,
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(REST_PORT), 'prometheus.io/path': monitoringPath },
        },
        spec: podSpec,
      },
    },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(configMapName), data: configData };
  const serviceType = o.serviceType ?? 'ClusterIP';
  const service = {
    apiVersion: 'v1', kind: 'Service', metadata: metadata(app),
    spec: {
      type: serviceType,
      selector,
      ports: [
        { name: 'http', port: REST_PORT, targetPort: 'http', protocol: 'TCP' },
        { name: 'grpc', port: GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' },
      ],
    },
  };
  const docs: Record<string, unknown>[] = [configMap, deployment, service];
  if (o.hpa) {
    const h = typeof o.hpa === 'object' ? o.hpa : {};
    const min = h.minReplicas ?? replicas;
    const max = Math.max(h.maxReplicas ?? Math.max(min * 3, min + 1), min);
    docs.push({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: metadata(app),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
        minReplicas: min,
        maxReplicas: max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: h.cpuUtilization ?? 70 } } }],
      },
    });
  }
  if (o.pdb) {
    // maxUnavailable rather than minAvailable: with one replica, minAvailable: 1 would block every node drain.
    docs.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: metadata(app), spec: { maxUnavailable: 1, selector: { matchLabels: selector } } });
  }

  const header = [
    `# TensorFlow Serving for model "${o.modelName}", generated by TF Serving Studio.`,
    ...(src.kind === 'pvc' && src.copyFrom !== undefined
      ? [`# Copy the model folder ${commentText(src.copyFrom)} (its numbered versions) onto PersistentVolumeClaim "${src.claimName}" first.`] : []),
    ...(secrets.length ? ['# Create the Secret first (the key never goes into this file):', ...secrets.map((s) => `#   ${s.command}`)] : []),
    `# Then: kubectl apply -f <this file>`,
  ];
  const yaml = header.join('\n') + '\n' + docs.map((d) => '---\n' + stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('');
  return { yaml, documents: docs, secrets, appName: app };
}

/** A value inside a YAML comment: quoted and escaped, so no character can end the comment line. */
function commentText(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
