// "Compare Labels…": the same predict request sent to two labels (or versions) of a running server, answers shown
// side by side in a diff editor with each round-trip time in the title.
import * as vscode from 'vscode';
import type { VersionSelector } from '../../core/serving/tfServingClient';
import { errorText } from '../errorText';
import { ContainerNode } from '../serving/servingTreeProvider';
import type { ServingState } from '../serving/servingState';
import { COMMANDS } from '../contributions';
import type { ServingProtocol } from '../../core/serving/servingClient';

export const COMPARE_SCHEME = 'tfserving-compare';

export interface CompareLabelsArgs {
  readonly containerId?: string;
  /** Two labels (or version numbers as strings: "123"). */
  readonly targets?: readonly [string, string];
  /** The predict body; default: a request built from the first target's signature. */
  readonly body?: unknown;
  /** Skip opening the diff editor (tests read the result). */
  readonly show?: boolean;
}

export interface CompareSide { readonly target: string; readonly url: string; readonly protocol: ServingProtocol; readonly response?: unknown; readonly error?: string; readonly millis?: number }

const selector = (t: string): VersionSelector => (/^\d+$/.test(t) ? { version: Number(t) } : { label: t });

export function registerCompareLabelsCommand(state: ServingState): vscode.Disposable[] {
  const docs = new Map<string, string>();
  let n = 0;
  return [
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, { provideTextDocumentContent: (uri) => docs.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand(COMMANDS.compareLabels, async (node?: unknown, args: CompareLabelsArgs = {}): Promise<CompareSide[] | undefined> => {
      if (!state.containers.length) await state.reload();
      const all = state.reachable();
      const container = node instanceof ContainerNode ? node.container
        : args.containerId ? all.find((c) => c.id === args.containerId || c.id.startsWith(args.containerId!) || c.name === args.containerId)
        : all.length === 1 ? all[0] : (await vscode.window.showQuickPick(all.map((c) => ({ label: c.name, description: c.modelName, c })), { title: 'Compare labels of…' }))?.c;
      const client = container && await state.clientOf(container);
      if (!client || !container?.modelName) return undefined;
      const model = container.modelName;
      let targets = args.targets;
      if (!targets) {
        const { readLabelState } = await import('../../core/serving/versionLabels');
        const { LABELS } = await import('../../core/serving/containerCreateBody');
        const known = container.labels[LABELS.configDir] ? readLabelState(container.labels[LABELS.configDir]) : undefined;
        const items = known ? Object.entries(known.labels).map(([l, v]) => ({ label: l, description: `version ${v}` })) : [];
        const picked = await vscode.window.showQuickPick(items, { title: 'Pick two labels to compare', canPickMany: true });
        if (!picked || picked.length !== 2) return undefined;
        targets = [picked[0].label, picked[1].label];
      }
      try {
        let body = args.body;
        if (body === undefined) {
          const { buildPredictRequest, signatureInputsFromMetadata } = await import('../../core/serving/predictRequestBuilder');
          const sigs = (await client.metadata(model, selector(targets[0]))).value.metadata.signature_def.signature_def;
          const name = sigs.serving_default ? 'serving_default' : Object.keys(sigs).filter((k) => !k.startsWith('__'))[0];
          body = buildPredictRequest(signatureInputsFromMetadata(sigs[name] as never), 'row', name);
        }
        const sides: CompareSide[] = [];
        for (const t of targets) {
          const sel = selector(t);
          const url = client.describe('predict', model, sel);
          try {
            const r = await client.predict(model, body, sel);
            sides.push({ target: t, url, protocol: client.protocol, response: r.value, millis: r.millis });
          } catch (e) {
            sides.push({ target: t, url, protocol: client.protocol, error: errorText(e) });
          }
        }
        if (args.show !== false) {
          const id = ++n;
          const uris = sides.map((s, i) => vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${model}-${s.target}-${id}-${i}.json` }));
          sides.forEach((s, i) => docs.set(uris[i].toString(), JSON.stringify({ url: s.url, request: body, ...(s.error ? { error: s.error } : { response: s.response }) }, null, 2) + '\n'));
          const label = (s: CompareSide) => `${s.target} ${s.millis !== undefined ? `${s.millis.toFixed(1)} ms` : 'failed'}`;
          await vscode.commands.executeCommand('vscode.diff', uris[0], uris[1], `${model}: ${label(sides[0])} ↔ ${label(sides[1])}`);
        }
        return sides;
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not compare ${targets.join(' and ')}: ${errorText(e)}`);
        return undefined;
      }
    }),
  ];
}
