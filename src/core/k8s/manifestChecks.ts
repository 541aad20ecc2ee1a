// TF Serving-aware checks on Kubernetes manifests that no JSON schema can express: label selectors, ports and
// probe paths against the model server's flags, storage schemes the image can read, credential and Secret
// mounts, removed flags, Prometheus annotations. Severity: error where the API server would reject the object or
// the model server would fail; warning where it would run, probably not as meant.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { Finding, Range, Severity } from '../validation/finding';
import { nodeAt, nodeRange, offsetRange, parseYamlFile, scalarString, type YamlFile } from '../validation/yamlDocuments';
import { labelValueProblem, subPathProblem } from '../names';

export interface ManifestCheckOptions {
  /** Names of Secrets defined anywhere in the workspace (those in the checked file are added automatically). */
  knownSecretNames?: ReadonlySet<string>;
  /** The file already parsed (saves a second parse when the caller has one). */
  parsed?: YamlFile;
}

interface Flag {
  name: string;
  value?: string;
  /** Source offsets of the whole `--name[=value]` token and of the value. */
  start: number;
  end: number;
  nameEnd: number;
  valueStart?: number;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/** Flags that the stock image's entrypoint passes when the command is not overridden. */
const IMAGE_DEFAULT_GRPC_PORT = 8500;
const IMAGE_DEFAULT_REST_PORT = 8501;

export function checkManifests(fileName: string, text: string, options: ManifestCheckOptions = {}): Finding[] {
  const file = options.parsed ?? parseYamlFile(text);
  const findings: Finding[] = [];
  const add = (range: Range, severity: Severity, code: string, message: string, fix?: Finding['fix']) =>
    findings.push({ file: fileName, range, severity, code: `k8s.${code}`, message, ...(fix ? { fix } : {}) });

  const secrets = new Set([...(options.knownSecretNames ?? []), ...secretsToCreate(text)]);
  for (const doc of file.documents) {
    if (scalarString(nodeAt(doc.contents, ['kind']).node) === 'Secret') {
      const name = scalarString(nodeAt(doc.contents, ['metadata', 'name']).node);
      if (name) secrets.add(name);
    }
  }

  for (const doc of file.documents) {
    if (!isMap(doc.contents) || doc.errors.length) continue;
    checkLabelValues(file, doc, add);
    const kind = scalarString(nodeAt(doc.contents, ['kind']).node);
    let podPath: string[];
    if (kind === 'Pod') podPath = [];
    else if (kind && WORKLOAD_KINDS.has(kind)) podPath = ['spec', 'template'];
    else continue;

    if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'ReplicaSet') checkSelector(file, doc, add);

    const podMeta = podPath.length ? nodeAt(doc.contents, [...podPath, 'metadata']).node : nodeAt(doc.contents, ['metadata']).node;
    const podSpec = nodeAt(doc.contents, [...podPath, 'spec']).node;
    if (!isMap(podSpec)) continue;
    const containers = nodeAt(podSpec, ['containers']).node;
    if (!isSeq(containers)) continue;
    for (const c of containers.items) {
      if (!isMap(c)) continue;
      checkContainer(file, doc, c as YAMLMap, podMeta, add);
      checkSubPaths(file, c as YAMLMap, add);
    }
    checkSecretVolumes(file, podSpec as YAMLMap, secrets, add);
  }
  return findings;
}

type Add = (range: Range, severity: Severity, code: string, message: string, fix?: Finding['fix']) => void;

function checkSelector(file: YamlFile, doc: Document.Parsed, add: Add): void {
  const match = nodeAt(doc.contents, ['spec', 'selector', 'matchLabels']);
  if (!isMap(match.node)) return;
  const labels = nodeAt(doc.contents, ['spec', 'template', 'metadata', 'labels']).node;
  for (const pair of (match.node as YAMLMap).items as Pair[]) {
    const key = scalarString(pair.key);
    const want = scalarString(pair.value);
    if (key === undefined) continue;
    const have = isMap(labels) ? scalarString(nodeAt(labels, [key]).node) : undefined;
    if (have !== want) {
      add(nodeRange(file, pair.value as Node ?? pair.key as Node), 'error', 'selector-mismatch',
        have === undefined
          ? `Selector label ${key}=${want} is not among the pod template's labels; the API server rejects this Deployment.`
          : `Selector label ${key}=${want} does not match the template's ${key}=${have}; the API server rejects this Deployment.`);
    }
  }
}

function argNodes(container: YAMLMap): Node[] {
  const out: Node[] = [];
  for (const key of ['command', 'args']) {
    const seq = nodeAt(container, [key]).node;
    if (isSeq(seq)) for (const item of seq.items) if (isScalar(item)) out.push(item as Node);
  }
  return out;
}

/** Flags in command/args, including inside `sh -c "…"` strings, with source offsets. */
function flagsOf(file: YamlFile, container: YAMLMap): Flag[] {
  const flags: Flag[] = [];
  const nodes = argNodes(container);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const value = String((node as unknown as { value: unknown }).value ?? '');
    const [s, e] = node.range ?? [0, 0];
    const source = file.text.slice(s, e);
    let searchFrom = 0;
    for (const m of value.matchAll(/--?[A-Za-z0-9_]+(=\S*)?/g)) {
      const token = m[0];
      const at = source.indexOf(token, searchFrom);
      const start = s + (at >= 0 ? at : 0);
      searchFrom = at >= 0 ? at + token.length : searchFrom;
      const eq = token.indexOf('=');
      const name = (eq >= 0 ? token.slice(0, eq) : token).replace(/^-+/, '');
      let flagValue = eq >= 0 ? token.slice(eq + 1) : undefined;
      let valueStart = eq >= 0 ? start + eq + 1 : undefined;
      // `--flag value` as two list items.
      if (eq < 0 && value.trim() === token && i + 1 < nodes.length) {
        const nv = String((nodes[i + 1] as unknown as { value: unknown }).value ?? '');
        if (!nv.startsWith('-')) { flagValue = nv; valueStart = nodes[i + 1].range?.[0]; }
      }
      flags.push({ name, value: flagValue, start, end: start + token.length, nameEnd: start + (eq >= 0 ? eq : token.length), valueStart });
    }
  }
  return flags;
}

function isTfServing(image: string | undefined, flags: Flag[], container: YAMLMap): boolean {
  if (image && /(^|\/)tensorflow\/serving(:|@|$)/.test(image)) return true;
  const words = argNodes(container).map((n) => String((n as unknown as { value: unknown }).value ?? '')).join(' ');
  return /tensorflow_model_server/.test(words) || flags.some((f) => f.name === 'model_base_path' || f.name === 'model_config_file');
}

/** Version of a stock tensorflow/serving image, `latest` for latest or no tag, undefined when unknown. */
function stockImageVersion(image: string): { major: number; minor: number } | 'latest' | undefined {
  const m = /(?:^|\/)tensorflow\/serving(?::([^@]+))?(@.*)?$/.exec(image);
  if (!m) return undefined;
  if (m[2] && !m[1]) return undefined; // pinned by digest only
  const tag = m[1];
  if (!tag || tag === 'latest' || /^latest-/.test(tag) || tag === 'nightly' || /^nightly-/.test(tag)) return 'latest';
  const v = /^(\d+)\.(\d+)/.exec(tag);
  return v ? { major: Number(v[1]), minor: Number(v[2]) } : undefined;
}

function checkContainer(file: YamlFile, doc: Document.Parsed, c: YAMLMap, podMeta: Node | undefined, add: Add): void {
  const imageNode = nodeAt(c, ['image']).node;
  const image = scalarString(imageNode);
  const flags = flagsOf(file, c);
  if (!isTfServing(image, flags, c)) return;
  const flag = (name: string) => flags.find((f) => f.name === name);
  const nameNode = nodeAt(c, ['name']).node ?? c;
  const overridesCommand = isSeq(nodeAt(c, ['command']).node);
  const portFlag = (name: string, imageDefault: number): number | undefined => {
    const f = flag(name);
    if (f?.value !== undefined && /^\d+$/.test(f.value)) return Number(f.value);
    return overridesCommand ? undefined : imageDefault;
  };
  const grpcPort = portFlag('port', IMAGE_DEFAULT_GRPC_PORT);
  const restPort = portFlag('rest_api_port', IMAGE_DEFAULT_REST_PORT);

  // Removed flag.
  const tflite = flag('use_tflite_model');
  if (tflite) {
    const range = offsetRange(file, tflite.start, tflite.nameEnd);
    add(range, 'error', 'removed-flag', 'The model server no longer has --use_tflite_model; it exits on unknown flags. Use --prefer_tflite_model.',
      { title: 'Replace with --prefer_tflite_model', range, newText: '--prefer_tflite_model' });
  }

  // s3:// on images that cannot read it.
  const base = flag('model_base_path');
  if (base?.value?.startsWith('s3://') && image) {
    const v = stockImageVersion(image);
    if (v === 'latest' || (v && (v.major > 2 || (v.major === 2 && v.minor >= 7)))) {
      add(offsetRange(file, base.valueStart ?? base.start, (base.valueStart ?? base.start) + base.value.length), 'error', 's3-unsupported',
        `${image} cannot read s3:// paths: stock TF Serving images dropped S3 support in 2.7. Use an image built with S3 support, GCS, or a volume.`);
    }
  }

  // Declared container ports vs the server's ports.
  const ports = nodeAt(c, ['ports']).node;
  if (isSeq(ports) && (grpcPort !== undefined || restPort !== undefined)) {
    const served = new Set([grpcPort, restPort].filter((p): p is number => p !== undefined && p !== 0));
    const declared: number[] = [];
    for (const p of ports.items) {
      const cpNode = nodeAt(p, ['containerPort']).node;
      const cp = Number(scalarString(cpNode));
      if (!Number.isFinite(cp)) continue;
      declared.push(cp);
      if (!served.has(cp)) add(nodeRange(file, cpNode), 'warning', 'port-mismatch', `containerPort ${cp} is not a port the model server listens on (gRPC ${grpcPort ?? 'off'}, REST ${restPort ?? 'off'}).`);
    }
    if (restPort && !declared.includes(restPort)) add(nodeRange(file, nodeAt(c, ['ports']).pair ?? ports), 'warning', 'port-mismatch', `The REST port ${restPort} (--rest_api_port) is not declared in ports.`);
  }

  // Probes.
  const modelName = flag('model_name')?.value;
  let hasReadiness = false;
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = nodeAt(c, [probe]).node;
    if (!p) continue;
    if (probe === 'readinessProbe') hasReadiness = true;
    const pathNode = nodeAt(p, ['httpGet', 'path']).node;
    const path = scalarString(pathNode);
    const m = path && /^\/v1\/models\/([^/:]+)/.exec(path);
    if (m && modelName && !flag('model_config_file') && m[1] !== modelName) {
      add(nodeRange(file, pathNode), 'warning', 'probe-model', `${probe} asks for model "${m[1]}" but the server serves "${modelName}" (--model_name); the probe will fail.`);
    }
  }
  if (!hasReadiness) add(nodeRange(file, nameNode), 'warning', 'no-readiness-probe', 'No readinessProbe: traffic reaches the pod before the model is loaded. Probe GET /v1/models/<name> on the REST port.');

  // Credentials file must sit in a mounted volume.
  const env = nodeAt(c, ['env']).node;
  if (isSeq(env)) {
    const mounts = nodeAt(c, ['volumeMounts']).node;
    const mountPaths = isSeq(mounts) ? mounts.items.map((m) => scalarString(nodeAt(m, ['mountPath']).node)).filter((x): x is string => !!x) : [];
    for (const e of env.items) {
      if (scalarString(nodeAt(e, ['name']).node) !== 'GOOGLE_APPLICATION_CREDENTIALS') continue;
      const valueNode = nodeAt(e, ['value']).node;
      const value = scalarString(valueNode);
      if (!value) continue;
      const inside = mountPaths.some((mp) => value === mp || value.startsWith(mp.endsWith('/') ? mp : mp + '/'));
      if (!inside) add(nodeRange(file, valueNode), 'error', 'credentials-not-mounted', `GOOGLE_APPLICATION_CREDENTIALS points to ${value}, which is outside every volumeMount; the server cannot read gs:// paths.`);
    }
  }

  // Prometheus scrape annotations without a monitoring config.
  if (!flag('monitoring_config_file')) {
    for (const meta of [podMeta, nodeAt(doc.contents, ['metadata']).node]) {
      const ann = nodeAt(meta, ['annotations']).node;
      if (!isMap(ann)) continue;
      const scrape = nodeAt(ann, ['prometheus.io/scrape']);
      if (scrape.pair && scalarString(scrape.node) === 'true') {
        add(nodeRange(file, scrape.pair), 'warning', 'metrics-disabled', 'prometheus.io/scrape is set, but the model server has no --monitoring_config_file, so it exports no metrics.');
        break;
      }
    }
  }
}

/**
 * Secrets the file's own comments say to create with kubectl (as our generated header does): the file names
 * them on purpose, with the key kept out of it, so their absence is the expected state, not a mistake.
 */
function secretsToCreate(text: string): string[] {
  return [...text.matchAll(/^#\s*kubectl create secret generic ([a-z0-9][-a-z0-9.]*)/gm)].map((m) => m[1]);
}

/** Label values the API server refuses (too long, or characters outside its rule), in the object and its pod template. */
function checkLabelValues(file: YamlFile, doc: Document.Parsed, add: Add): void {
  for (const at of [['metadata', 'labels'], ['spec', 'template', 'metadata', 'labels'], ['spec', 'selector', 'matchLabels']]) {
    const labels = nodeAt(doc.contents, at).node;
    if (!isMap(labels)) continue;
    for (const pair of (labels as YAMLMap).items as Pair[]) {
      const value = scalarString(pair.value as Node);
      const problem = value === undefined ? undefined : labelValueProblem(value);
      if (problem) add(nodeRange(file, pair.value as Node), 'error', 'label-value', `${problem} The API server rejects this ${scalarString(nodeAt(doc.contents, ['kind']).node) ?? 'object'}.`);
    }
  }
}

/** A subPath with ".." or a leading "/" points outside its volume: the API server refuses the pod. */
function checkSubPaths(file: YamlFile, c: YAMLMap, add: Add): void {
  const mounts = nodeAt(c, ['volumeMounts']).node;
  if (!isSeq(mounts)) return;
  for (const m of mounts.items) {
    const node = nodeAt(m, ['subPath']).node;
    const value = scalarString(node);
    const problem = value === undefined || value === '' ? undefined : subPathProblem(value);
    if (problem) add(nodeRange(file, node), 'error', 'subpath-outside', `${problem} Name a folder inside the volume.`);
  }
}

function checkSecretVolumes(file: YamlFile, podSpec: YAMLMap, secrets: Set<string>, add: Add): void {
  const volumes = nodeAt(podSpec, ['volumes']).node;
  if (!isSeq(volumes)) return;
  for (const v of volumes.items) {
    const nameNode = nodeAt(v, ['secret', 'secretName']).node;
    const name = scalarString(nameNode);
    const optional = scalarString(nodeAt(v, ['secret', 'optional']).node) === 'true';
    if (name && !optional && !secrets.has(name)) {
      add(nodeRange(file, nameNode), 'warning', 'secret-not-found', `No manifest in the workspace defines Secret "${name}"; the pod stays in ContainerCreating until it exists.`);
    }
  }
}
