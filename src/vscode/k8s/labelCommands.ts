// A/B and canary from the editor: "Serve Versions with Labels…" on a model starts a server for two versions with a
// label each; "Move Label…" on a running container the extension started does the two-step move (serve the
// version, wait for AVAILABLE, move the label) with progress.
import * as vscode from 'vscode';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import type { LabelState } from '../../core/serving/versionLabels';
import { errorText } from '../errorText';
import { ContainerNode } from '../serving/servingTreeProvider';
import type { ServingState } from '../serving/servingState';
import { ModelNode } from '../model/modelNode';
import { parseVersionNumber, versionLabelProblem } from '../../core/names';
import { COMMANDS } from '../contributions';

export interface ServeWithLabelsArgs {
  /** label → version; given, nothing is asked. */
  readonly labels?: Readonly<Record<string, number>>;
  /** Passed on to "Start TF Serving…" (ports, image tag…). */
  readonly choices?: Record<string, unknown>;
  readonly containerName?: string;
  readonly allowUnavailable?: boolean;
}

export interface MoveLabelArgs {
  readonly containerId?: string;
  readonly label?: string;
  readonly version?: number;
  readonly allowUnavailable?: boolean;
  readonly retireUnlabeled?: boolean;
}

export interface LabelCommandResult { readonly containerId: string; readonly state: LabelState; readonly steps?: number; readonly recreated: boolean }

const labelRule = versionLabelProblem;
const versionRule = (v: string) => { try { parseVersionNumber(v); return undefined; } catch (e) { return (e as Error).message; } };

async function askLabels(model: ModelNode): Promise<Record<string, number> | undefined> {
  if (!model.versions().length) await model.getChildren();
  const valid = model.versions().filter((v) => v.valid).map((v) => v.version).sort((a, b) => b - a);
  if (valid.length < 2) {
    void vscode.window.showInformationMessage(`${model.name} has ${valid.length} servable version${valid.length === 1 ? '' : 's'}; A/B needs two.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(valid.map((v, i) => ({ label: String(v), picked: i < 2, v })), { title: `Versions of ${model.name} to serve (pick two)`, canPickMany: true, ignoreFocusOut: true });
  if (!picked || picked.length !== 2) {
    if (picked) void vscode.window.showInformationMessage('Pick exactly two versions.');
    return undefined;
  }
  const [newer, older] = picked.map((p) => p.v).sort((a, b) => b - a);
  const stable = await vscode.window.showInputBox({ title: `Label for version ${older}`, value: 'stable', validateInput: labelRule, ignoreFocusOut: true });
  if (!stable) return undefined;
  const canary = await vscode.window.showInputBox({ title: `Label for version ${newer}`, value: 'canary', validateInput: (v) => labelRule(v) ?? (v === stable ? 'Use another name' : undefined), ignoreFocusOut: true });
  if (!canary) return undefined;
  return { [stable]: older, [canary]: newer };
}

async function pickOurContainer(state: ServingState, node: unknown, id?: string): Promise<ServingContainer | undefined> {
  if (node instanceof ContainerNode) return node.container;
  const all = (state.containers.length ? state.containers : await state.reload()).filter((c) => c.ours && c.state === 'running');
  if (id) return all.find((c) => c.id === id || c.id.startsWith(id) || c.name === id);
  if (all.length === 1) return all[0];
  return (await vscode.window.showQuickPick(all.map((c) => ({ label: c.name, description: c.modelName, c })), { title: 'Which server?' }))?.c;
}

export function registerLabelCommands(state: ServingState): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.serveWithLabels, async (node?: unknown, args: ServeWithLabelsArgs = {}): Promise<LabelCommandResult | undefined> => {
      if (!(node instanceof ModelNode)) {
        void vscode.window.showInformationMessage('Run "Serve Versions with Labels…" on a model in the Models view.');
        return undefined;
      }
      const labels = args.labels ?? await askLabels(node);
      if (!labels) return undefined;
      const { applyLabelState, checkLabelState } = await import('../../core/serving/versionLabels');
      const target: LabelState = { versions: [...new Set(Object.values(labels))].sort((a, b) => a - b), labels };
      try { checkLabelState(target, args.allowUnavailable); } catch (e) { void vscode.window.showErrorMessage(errorText(e)); return undefined; }
      const started = await vscode.commands.executeCommand<{ id: string } | undefined>(COMMANDS.startServer, node, { choices: args.choices, containerName: args.containerName });
      if (!started) return undefined;
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Labelling ${node.name}` }, async (progress) => {
        try {
          const r = await applyLabelState(await state.engine(), started.id, target, { allowUnavailable: args.allowUnavailable, clientFor: state.clientFor, onProgress: (message) => progress.report({ message }) });
          await state.reload();
          void vscode.window.showInformationMessage(`${node.name}: ${Object.entries(labels).map(([l, v]) => `${l} → ${v}`).join(', ')}`);
          return { containerId: r.containerId, state: target, recreated: r.recreated };
        } catch (e) {
          await state.reload();
          void vscode.window.showErrorMessage(`Could not label ${node.name}: ${errorText(e)}`);
          return undefined;
        }
      });
    }),

    vscode.commands.registerCommand(COMMANDS.moveLabel, async (node?: unknown, args: MoveLabelArgs = {}): Promise<LabelCommandResult | undefined> => {
      const container = await pickOurContainer(state, node, args.containerId);
      if (!container) return undefined;
      const core = await import('../../core/serving/versionLabels');
      try {
        const engine = await state.engine();
        const current = await core.currentLabelState(engine, container.id, state.clientFor);
        let label = args.label;
        if (label === undefined) {
          const NEW = '$(add) New label…';
          const choice = await vscode.window.showQuickPick([...Object.entries(current.labels).map(([l, v]) => ({ label: l, description: `→ ${v}` })), { label: NEW }], { title: `Label to move on ${container.name}` });
          if (!choice) return undefined;
          label = choice.label === NEW ? await vscode.window.showInputBox({ title: 'New label', validateInput: labelRule }) : choice.label;
          if (!label) return undefined;
        }
        let version = args.version;
        if (version === undefined) {
          const text = await vscode.window.showInputBox({ title: `Point "${label}" at version`, prompt: `Served now: ${current.versions.join(', ')}. Another version is served first, then labelled.`, validateInput: versionRule });
          if (!text) return undefined;
          version = parseVersionNumber(text);
        }
        const moveTo = version;
        const moved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Moving "${label}" to version ${moveTo}` }, (progress) =>
          core.moveLabel(engine, container.id, label!, moveTo, { allowUnavailable: args.allowUnavailable, retireUnlabeled: args.retireUnlabeled, clientFor: state.clientFor, onProgress: (message) => progress.report({ message }) }));
        await state.reload();
        const final = moved.steps.length ? moved.steps[moved.steps.length - 1].state : current;
        void vscode.window.showInformationMessage(`${container.modelName}: "${label}" → version ${moveTo}${moved.steps.length > 1 ? ` (${moved.steps.length} steps)` : ''}.`);
        return { containerId: moved.containerId, state: final, steps: moved.steps.length, recreated: moved.recreated };
      } catch (e) {
        await state.reload();
        void vscode.window.showErrorMessage(`Could not move the label: ${errorText(e)}`);
        return undefined;
      }
    }),
  ];
}
