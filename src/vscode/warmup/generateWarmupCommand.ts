// "Generate Warmup Requests…" on a SavedModel version: pick the signature, the inputs (a JSON file of instances, a
// representative dataset, the requests Send Test Request sent to the model, or generated ones with a batch size) and the number of records; core builds the file and
// decides where it goes (local: into the version, after asking; buckets: a new version through the atomic publish).
import * as vscode from 'vscode';
import { displayLocation, formatLocation } from '../../core/location';
import { formatBytes } from '../../core/format';
import { addWarmupToVersion, warmupPlacement, type AddedWarmup } from '../../core/warmup/addWarmup';
import { warmupFileBytes } from '../../core/warmup/versionWarmup';
import { MAX_WARMUP_RECORDS, WARMUP_FILE } from '../../core/warmup/warmupFile';
import { buildWarmupRequests, DEFAULT_GENERATED_WARMUP_RECORDS, WarmupError, type WarmupInputs } from '../../core/warmup/warmupRequests';
import { callableSignatures, readWarmupTarget } from '../../core/warmup/warmupTarget';
import { inspectVersion } from '../../core/model/modelInspector';
import { storeVersionSource } from '../../core/model/storeVersionSource';
import { COMMANDS } from '../contributions';
import { errorText } from '../errorText';
import type { ModelsTreeProvider } from '../model/modelsTreeProvider';
import { VersionNode } from '../model/versionNode';
import type { SentRequestLog } from '../../core/warmup/sentRequests';

/** Answers the prompts would give (tests and other commands pass them; the user is asked for what is missing). */
export interface WarmupCommandArgs {
  readonly signature?: string;
  /** A .json rows file or .npy dataset; 'generated' for inputs generated from the signature; 'sent' for the
   *  examples Send Test Request sent to this model (for the chosen signature). */
  readonly inputs?: string;
  readonly batchSize?: number;
  readonly records?: number;
  readonly seed?: number;
  /** Skip the confirmation (local: add or replace; buckets: publish a new version). */
  readonly confirmed?: boolean;
}

export type WarmupOutcome =
  | { readonly ok: true; readonly requests: number; readonly bytes: number; readonly added: AddedWarmup }
  | { readonly ok: false; readonly reason: string };

export function registerWarmupCommand(provider: ModelsTreeProvider, sent?: SentRequestLog): vscode.Disposable[] {
  return [vscode.commands.registerCommand(COMMANDS.generateWarmupRequests, async (node?: unknown, args: WarmupCommandArgs = {}) => {
    if (!(node instanceof VersionNode)) {
      void vscode.window.showInformationMessage('Run "Generate Warmup Requests…" on a SavedModel version in the Models view.');
      return { ok: false, reason: 'no version' } satisfies WarmupOutcome;
    }
    try {
      const outcome = await generate(node, args, sent);
      if (outcome.ok) provider.refresh(outcome.added.placement === 'in-place' ? node : node.model);
      return outcome;
    } catch (e) {
      const reason = e instanceof WarmupError && e.hint ? `${e.message} ${e.hint}` : errorText(e);
      void vscode.window.showErrorMessage(`Generate Warmup Requests: ${reason}`);
      return { ok: false, reason } satisfies WarmupOutcome;
    }
  })];
}

async function generate(node: VersionNode, args: WarmupCommandArgs, sent?: SentRequestLog): Promise<WarmupOutcome> {
  const store = await node.model.repository.openStore();
  const what = `${node.model.name} version ${node.version.version}`;
  const signature = args.signature ?? (await pickSignature(callableSignatures(await inspectVersion(storeVersionSource(store, node.location))).map((s) => s.key)));
  if (!signature) return { ok: false, reason: 'cancelled' };
  const target = await readWarmupTarget(store, node.location, signature);
  const inputs = args.inputs ?? (await pickInputs(sent?.count(node.model.name) ?? 0));
  if (!inputs) return { ok: false, reason: 'cancelled' };
  const source: WarmupInputs = inputs === 'generated' ? { kind: 'generated', ...(args.seed === undefined ? {} : { seed: args.seed }) }
    : inputs === 'sent' ? sentInstances(sent, node.model.name, signature)
    : { kind: 'file', file: inputs };
  const batchSize = args.batchSize ?? (await askNumber('Examples per request (the batch size the server will see)', 1, 100_000));
  if (batchSize === undefined || batchSize === null) return { ok: false, reason: 'cancelled' };
  const fromExamples = source.kind !== 'generated';
  const records = args.records ?? (args.inputs ? undefined : await askNumber(
    `Requests to write (at most ${MAX_WARMUP_RECORDS.toLocaleString('en-US')}, TF Serving's limit)${fromExamples ? '; empty: one per batch of the file' : ''}`,
    fromExamples ? undefined : DEFAULT_GENERATED_WARMUP_RECORDS, MAX_WARMUP_RECORDS, fromExamples));
  if (records === null) return { ok: false, reason: 'cancelled' };
  const requests = await buildWarmupRequests({ modelName: target.modelName, signature: target.signature, inputs: source, batchSize, ...(records === undefined ? {} : { records }) });
  const bytes = await warmupFileBytes(requests);
  const summary = `${requests.length} predict request${requests.length === 1 ? '' : 's'} for "${signature}" (${formatBytes(bytes.length)})`;
  const placement = warmupPlacement(node.location);
  const replacing = placement === 'in-place' && Boolean(target.summary.warmup);
  if (args.confirmed !== true) {
    const action = placement === 'in-place' ? (replacing ? 'Replace' : 'Add') : 'Publish New Version';
    const detail = placement === 'in-place'
      ? `${replacing ? 'Replaces' : 'Writes'} ${WARMUP_FILE} in ${displayLocation(node.location)}. TF Serving runs the requests when it next loads this version (a server that already loaded it does not re-read it).`
      : `A server that already loaded version ${node.version.version} never re-reads it, so version ${node.version.version} plus ${WARMUP_FILE} is published as the next version, as atomically as any publish.`;
    const answer = await vscode.window.showInformationMessage(`${action} warmup requests for ${what}: ${summary}?`, { modal: true, detail }, action);
    if (answer !== action) return { ok: false, reason: 'cancelled' };
  }
  const added = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Warmup requests for ${what}`, cancellable: placement === 'new-version' }, (_p, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    return addWarmupToVersion(store, node.location, bytes, { replace: replacing, signal: ctl.signal });
  });
  void vscode.window.showInformationMessage(added.placement === 'in-place'
    ? `${added.replaced ? 'Replaced' : 'Added'} ${WARMUP_FILE} in ${what}: ${summary}.`
    : `Published ${node.model.name} version ${added.published.version} (version ${added.from} plus ${WARMUP_FILE}: ${summary}) at ${formatLocation(added.published.location)}.${(added.published.notes ?? []).map((n) => ` ${n}`).join('')}`);
  return { ok: true, requests: requests.length, bytes: bytes.length, added };
}

/** The examples sent to the model for the signature, as the warmup builder's inputs. */
function sentInstances(sent: SentRequestLog | undefined, model: string, signature: string): WarmupInputs {
  const instances = sent?.instances(model, signature) ?? [];
  if (!instances.length) {
    throw new WarmupError(`No request to ${model} for signature "${signature}" was sent with Send Test Request in this window.`, 'Send some from the Serving view first, or pick another source of inputs.');
  }
  return { kind: 'instances', instances, label: `the requests sent to ${model} with Send Test Request` };
}

async function pickSignature(keys: string[]): Promise<string | undefined> {
  if (keys.length <= 1) return keys[0] ?? 'serving_default';
  const picked = await vscode.window.showQuickPick(keys.map((k) => ({ label: k, ...(k === 'serving_default' ? { description: 'used when a request names none' } : {}) })), { title: 'Generate Warmup Requests', placeHolder: 'Signature the requests call' });
  return picked?.label;
}

async function pickInputs(sentExamples: number): Promise<string | undefined> {
  const kind = await vscode.window.showQuickPick([
    ...(sentExamples ? [{ label: '$(history) Requests sent with Send Test Request', id: 'sent', detail: `${sentExamples} example${sentExamples === 1 ? '' : 's'} sent to this model in this window (those for the chosen signature)` }] : []),
    { label: '$(symbol-numeric) Generate inputs from the signature', id: 'generated', detail: 'Seeded values of the right dtype and shape (the generator Compare Outputs uses)' },
    { label: '$(json) JSON file of instances…', id: 'json', detail: 'TF Serving\'s row format: a list of {input: value} or {"instances": [...]}, as Send Test Request sends' },
    { label: '$(file-binary) Representative dataset…', id: 'dataset', detail: 'The .npy or .json file the int8 conversion calibrates with' },
  ], { title: 'Generate Warmup Requests', placeHolder: 'Where do the inputs come from?' });
  if (!kind) return undefined;
  if (kind.id === 'generated' || kind.id === 'sent') return kind.id;
  const uris = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: false, filters: kind.id === 'json' ? { 'JSON instances': ['json'] } : { 'Sample inputs': ['npy', 'json'] }, openLabel: 'Use', title: kind.label.replace(/^\$\([^)]*\) /, '') });
  return uris?.[0]?.fsPath;
}

/** A whole number from 1 to max; undefined when left empty (if allowed); null when cancelled. */
async function askNumber(prompt: string, value: number | undefined, max: number, emptyAllowed = false): Promise<number | undefined | null> {
  const text = await vscode.window.showInputBox({
    title: 'Generate Warmup Requests', prompt, ...(value === undefined ? {} : { value: String(value) }),
    validateInput: (v) => {
      if (emptyAllowed && v.trim() === '') return undefined;
      const n = Number(v.trim());
      return /^\d+$/.test(v.trim()) && n >= 1 && n <= max ? undefined : `A whole number from 1 to ${max.toLocaleString('en-US')}.`;
    },
  });
  if (text === undefined) return null;
  return text.trim() === '' ? undefined : Number(text.trim());
}
