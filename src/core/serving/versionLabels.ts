// A/B and canary with version labels. TF Serving only lets a label name a version that is already AVAILABLE, so
// moving a label to a version not served yet takes two steps: serve it (widen the version policy), wait until it
// is AVAILABLE, then move the label (one step with --allow_version_labels_for_unavailable_models). A running
// container is switched to a --model_config_file once (recreated with the same ports, mounts and name, plus
// --model_config_file_poll_wait_seconds); after that every change is a rewrite of the file, which the server
// re-reads on its next poll.
import * as fs from 'fs';
import * as path from 'path';
import { modelServerConfigText } from '../configs/modelServerConfig';
import { parseVersionNumber, requireName, versionLabelProblem, versionNumberProblem } from '../names';
import { CONTAINER_CONFIG_DIR, CONTAINER_MODELS_DIR, LABELS, type ContainerCreateBody } from './containerCreateBody';
import type { ConfigFileWriter, DockerEngine, StartedContainer } from './dockerEngine';
import { containerName, createBodyFromInspect, flagValue, hostUrl, withoutFlags } from './inspectedContainer';
import { modelServerArg } from './modelServerFlags';
import type { TfServingClient } from './tfServingClient';
import { tfServingClients, type ServingClientFactory } from './servingState';

export const MODEL_CONFIG_NAME = 'models.config';
/** Our record of what the config file says, so the next move starts from it. */
export const LABEL_STATE_NAME = 'version-labels.json';
export const DEFAULT_CONFIG_POLL_SECONDS = 2;

export interface LabelState {
  /** Versions served (a `specific` version policy). */
  readonly versions: readonly number[];
  /** label → version; each version must be in `versions`. */
  readonly labels: Readonly<Record<string, number>>;
}

export interface LabelStep {
  readonly state: LabelState;
  /** What the step does, in words, for progress messages. */
  readonly description: string;
}

export interface MoveOptions {
  /** --allow_version_labels_for_unavailable_models: the label may move before its version is loaded. */
  readonly allowUnavailable?: boolean;
  /** Stop serving versions no label points to any more (the old canary) after the move. */
  readonly retireUnlabeled?: boolean;
}

const checkLabelName = (label: string) => requireName(versionLabelProblem(label));
const checkVersion = (v: number) => requireName(versionNumberProblem(v));

/** "stable=123" → ["stable", 123] */
export function parseLabelAssignment(text: string): [string, number] {
  const m = /^([^=]+)=(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`${JSON.stringify(text)} is not label=version (e.g. stable=1).`);
  checkLabelName(m[1]);
  return [m[1], parseVersionNumber(m[2], `The version of label "${m[1]}"`)];
}

export function checkLabelState(s: LabelState, allowUnavailable = false): void {
  if (!s.versions.length) throw new Error('Serve at least one version.');
  s.versions.forEach(checkVersion);
  for (const [label, v] of Object.entries(s.labels)) {
    checkLabelName(label);
    checkVersion(v);
    if (!allowUnavailable && !s.versions.includes(v)) {
      throw new Error(`Label "${label}" names version ${v}, which is not served; TF Serving only labels loaded versions (serve ${v} first, or allow labels for unavailable models).`);
    }
  }
}

const sorted = (vs: Iterable<number>) => [...new Set(vs)].sort((a, b) => a - b);

/** The steps that move `label` to `version` from `current`; empty when it already points there. */
export function planLabelMove(current: LabelState, label: string, version: number, options: MoveOptions = {}): LabelStep[] {
  checkLabelName(label);
  checkVersion(version);
  checkLabelState(current, options.allowUnavailable);
  if (current.labels[label] === version && current.versions.includes(version)) return [];
  const steps: LabelStep[] = [];
  const served = sorted([...current.versions, version]);
  const moved = { ...current.labels, [label]: version };
  if (!current.versions.includes(version) && !options.allowUnavailable) {
    steps.push({ state: { versions: served, labels: current.labels }, description: `Serve version ${version} and wait until it is AVAILABLE` });
  }
  steps.push({ state: { versions: served, labels: moved }, description: `Point "${label}" at version ${version}` });
  if (options.retireUnlabeled) {
    const keep = sorted(Object.values(moved));
    if (keep.length < served.length) {
      const gone = served.filter((v) => !keep.includes(v));
      steps.push({ state: { versions: keep, labels: moved }, description: `Stop serving version${gone.length > 1 ? 's' : ''} ${gone.join(', ')}` });
    }
  }
  return steps;
}

/** The model config list for one model served with labels. */
export function labelConfigText(modelName: string, basePath: string, s: LabelState): string {
  return modelServerConfigText([{ name: modelName, basePath, versionPolicy: { kind: 'specific', versions: s.versions }, versionLabels: s.labels }]);
}

// ---- Applying to a running container -------------------------------------------------------------------------

interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  readonly modelName: string;
  readonly configDir: string;
  readonly basePath: string;
  readonly restUrl: string;
  /** Re-reads its model config file on a period: changes need no restart. */
  readonly reloadsConfig: boolean;
  readonly allowUnavailable: boolean;
  readonly create: ContainerCreateBody;
}

/** What a container started by the extension runs, read back from Docker. */
export async function containerFacts(engine: DockerEngine, id: string): Promise<ContainerFacts> {
  const info = await engine.inspect(id);
  const labels = info.Config.Labels ?? {};
  const modelName = labels[LABELS.modelName];
  const configDir = labels[LABELS.configDir];
  if (labels[LABELS.managed] !== 'true' || !modelName || !configDir) {
    throw new Error(`Container ${containerName(info)} was not started by TF Serving Studio; labels can only be managed on containers it started.`);
  }
  const create = createBodyFromInspect(info);
  const env = new Map(create.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const basePath = flagValue(create.Cmd, 'model_base_path') ?? `${env.get('MODEL_BASE_PATH') ?? CONTAINER_MODELS_DIR}/${env.get('MODEL_NAME') ?? modelName}`;
  const binding = create.HostConfig.PortBindings['8501/tcp']?.[0];
  return {
    id: info.Id,
    name: containerName(info),
    modelName,
    configDir,
    basePath,
    restUrl: hostUrl(binding?.HostIp, binding?.HostPort ?? labels[LABELS.restPort]),
    reloadsConfig: flagValue(create.Cmd, 'model_config_file') === `${CONTAINER_CONFIG_DIR}/${MODEL_CONFIG_NAME}` && Number(flagValue(create.Cmd, 'model_config_file_poll_wait_seconds') ?? 0) > 0,
    allowUnavailable: flagValue(create.Cmd, 'allow_version_labels_for_unavailable_models') === 'true',
    create,
  };
}

/** The same container with the model config file flags; other flags kept. */
export function withModelConfigFlags(create: ContainerCreateBody, configDir: string, pollSeconds: number, allowUnavailable: boolean): ContainerCreateBody {
  const cmd = withoutFlags(create.Cmd, ['model_config_file', 'model_config_file_poll_wait_seconds', 'allow_version_labels_for_unavailable_models']);
  cmd.push(modelServerArg('model_config_file', `${CONTAINER_CONFIG_DIR}/${MODEL_CONFIG_NAME}`),
    modelServerArg('model_config_file_poll_wait_seconds', pollSeconds));
  if (allowUnavailable) cmd.push(modelServerArg('allow_version_labels_for_unavailable_models', true));
  const mounts = create.HostConfig.Mounts.some((m) => m.Target === CONTAINER_CONFIG_DIR)
    ? create.HostConfig.Mounts
    : [...create.HostConfig.Mounts, { Type: 'bind' as const, Source: configDir, Target: CONTAINER_CONFIG_DIR, ReadOnly: true }];
  return { ...create, Cmd: cmd, HostConfig: { ...create.HostConfig, Mounts: mounts } };
}

export function readLabelState(configDir: string): LabelState | undefined {
  try { return JSON.parse(fs.readFileSync(path.join(configDir, LABEL_STATE_NAME), 'utf8')) as LabelState; } catch { return undefined; }
}

/** Writes the config (whole, as the engine's writer does: a reader never sees half a file) and our record of it. */
export async function writeLabelConfig(files: ConfigFileWriter, configDir: string, modelName: string, basePath: string, s: LabelState): Promise<void> {
  await files.write(path.join(configDir, MODEL_CONFIG_NAME), labelConfigText(modelName, basePath, s));
  await files.write(path.join(configDir, LABEL_STATE_NAME), JSON.stringify(s, null, 1) + '\n');
}

/** True when every served version is AVAILABLE and every label answers with its version. */
export async function labelsInEffect(client: TfServingClient, modelName: string, s: LabelState): Promise<boolean> {
  try {
    const all = (await client.status(modelName)).value;
    for (const v of s.versions) if (!all.some((x) => x.version === String(v) && x.state === 'AVAILABLE')) return false;
    for (const [label, v] of Object.entries(s.labels)) {
      const byLabel = (await client.status(modelName, { label })).value;
      if (!byLabel.some((x) => x.version === String(v) && x.state === 'AVAILABLE')) return false;
    }
    return true;
  } catch {
    return false;
  }
}

export interface ApplyOptions {
  /** The REST client maker (the editor passes its serving state's). */
  readonly clientFor?: ServingClientFactory;
  readonly allowUnavailable?: boolean;
  readonly configPollSeconds?: number;
  readonly timeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

export interface ApplyResult {
  /** The container now serving (a new id when it had to be recreated). */
  readonly containerId: string;
  readonly restUrl: string;
  readonly recreated: boolean;
}

/**
 * Makes the container serve `s`: rewrite the config and wait for the server's poll when it already reloads its
 * config; otherwise recreate it once with the config flags. Resolves when the labels answer as asked.
 */
export async function applyLabelState(engine: DockerEngine, containerId: string, s: LabelState, options: ApplyOptions = {}): Promise<ApplyResult> {
  const facts = await containerFacts(engine, containerId);
  const allow = options.allowUnavailable ?? facts.allowUnavailable;
  checkLabelState(s, allow);
  const client = await (options.clientFor ?? tfServingClients)(facts.restUrl);
  const timeoutMs = options.timeoutMs ?? 120_000;
  await writeLabelConfig(engine.files, facts.configDir, facts.modelName, facts.basePath, s);
  let id = facts.id;
  let recreated = false;
  if (!facts.reloadsConfig || allow !== facts.allowUnavailable) {
    options.onProgress?.(`Restarting ${facts.name} with --model_config_file (later changes need no restart)`);
    const create = withModelConfigFlags(facts.create, facts.configDir, options.configPollSeconds ?? DEFAULT_CONFIG_POLL_SECONDS, allow);
    await engine.stop(facts.id, 10).catch(() => undefined);
    await engine.remove(facts.id);
    const started: StartedContainer = await engine.createAndStart({ create, files: [] }, { pull: false });
    id = started.id;
    recreated = true;
  } else {
    options.onProgress?.('Config written; waiting for the server to re-read it');
  }
  await engine.waitUntilReady(id, () => labelsInEffect(client, facts.modelName, s), timeoutMs, 250);
  return { containerId: id, restUrl: facts.restUrl, recreated };
}

/** The current label state of a container (our record, else what it serves now without labels). */
export async function currentLabelState(engine: DockerEngine, containerId: string, clientFor: ServingClientFactory = tfServingClients): Promise<LabelState> {
  const facts = await containerFacts(engine, containerId);
  const recorded = facts.reloadsConfig || flagValue(facts.create.Cmd, 'model_config_file') ? readLabelState(facts.configDir) : undefined;
  if (recorded) return recorded;
  const st = (await (await clientFor(facts.restUrl)).status(facts.modelName)).value;
  return { versions: sorted(st.filter((x) => x.state === 'AVAILABLE').map((x) => Number(x.version))), labels: {} };
}

/** Moves a label with the two-step plan, each step applied and awaited. */
export async function moveLabel(engine: DockerEngine, containerId: string, label: string, version: number, options: MoveOptions & ApplyOptions = {}): Promise<ApplyResult & { steps: LabelStep[] }> {
  const current = await currentLabelState(engine, containerId, options.clientFor);
  const facts = await containerFacts(engine, containerId);
  const allowUnavailable = options.allowUnavailable ?? facts.allowUnavailable;
  const steps = planLabelMove(current, label, version, { ...options, allowUnavailable });
  let result: ApplyResult = { containerId, restUrl: facts.restUrl, recreated: false };
  for (const [i, step] of steps.entries()) {
    options.onProgress?.(`Step ${i + 1}/${steps.length}: ${step.description}`);
    const r = await applyLabelState(engine, result.containerId, step.state, { ...options, allowUnavailable });
    result = { ...r, recreated: result.recreated || r.recreated };
  }
  return { ...result, steps };
}
