// "Compare Predictions…": the same request to two versions a server serves (say the original and its quantized
// conversion), both answers and latencies side by side, and the largest absolute difference between them.
import * as vscode from 'vscode';
import { buildPredictRequest, signatureInputsFromMetadata } from '../../core/serving/predictRequestBuilder';
import { comparePredictions } from '../../core/serving/predictionDiff';
import { errorText } from '../errorText';
import type { ServingState } from './servingState';
import { ContainerNode } from './servingTreeProvider';
import { COMMANDS } from '../contributions';

export const PREDICTIONS_SCHEME = 'tfserving-predictions';

export interface ComparePredictionsArgs {
  readonly containerId?: string;
  readonly versions?: readonly [number, number];
  readonly body?: unknown;
}

export function registerComparePredictionsCommand(state: ServingState): vscode.Disposable[] {
  const docs = new Map<string, string>();
  let n = 0;
  return [
    vscode.workspace.registerTextDocumentContentProvider(PREDICTIONS_SCHEME, { provideTextDocumentContent: (uri) => docs.get(uri.toString()) ?? '{}' }),
    vscode.commands.registerCommand(COMMANDS.comparePredictions, async (node?: ContainerNode, args: ComparePredictionsArgs = {}) => {
      const containers = state.containers.length ? state.containers : await state.reload();
      const c = node instanceof ContainerNode ? node.container : containers.find((x) => x.id === args.containerId || x.name === args.containerId);
      const client = c && await state.clientOf(c);
      if (!client || !c?.modelName) {
        void vscode.window.showInformationMessage('Run "Compare Predictions…" on a running server in the Serving view.');
        return undefined;
      }
      try {
        let versions = args.versions;
        if (!versions) {
          const available = (await client.status(c.modelName)).value.filter((v) => v.state === 'AVAILABLE').map((v) => Number(v.version));
          if (available.length < 2) {
            void vscode.window.showInformationMessage(`${c.name} serves ${available.length} version(s) of ${c.modelName}; serve two (e.g. "Serve Versions with Labels…") to compare them.`);
            return undefined;
          }
          const picked = await vscode.window.showQuickPick(available.sort((a, b) => b - a).map((v) => ({ label: String(v), v })), { canPickMany: true, title: 'Compare which two versions?' });
          if (!picked || picked.length !== 2) return undefined;
          versions = [picked[0].v, picked[1].v];
        }
        const [a, b] = versions;
        let body = args.body;
        if (body === undefined) {
          const meta = await client.metadata(c.modelName, { version: a });
          const sigs = meta.value.metadata.signature_def.signature_def;
          const name = 'serving_default' in sigs ? 'serving_default' : Object.keys(sigs).find((k) => !k.startsWith('__'));
          if (!name) throw new Error(`version ${a} has no signature to build a request from`);
          const edited = await vscode.window.showInputBox({ title: `Request sent to versions ${a} and ${b}`, value: JSON.stringify(buildPredictRequest(signatureInputsFromMetadata(sigs[name]), 'row', name)), validateInput: (v) => { try { JSON.parse(v); return undefined; } catch (e) { return (e as Error).message; } } });
          if (edited === undefined) return undefined;
          body = JSON.parse(edited);
        }
        const [ra, rb] = await Promise.all([client.predict(c.modelName, body, { version: a }), client.predict(c.modelName, body, { version: b })]);
        const diff = comparePredictions(ra.value, rb.value);
        const result = {
          model: c.modelName, protocol: client.protocol, request: body,
          [`version ${a}`]: { response: ra.value, millis: Math.round(ra.millis * 10) / 10 },
          [`version ${b}`]: { response: rb.value, millis: Math.round(rb.millis * 10) / 10 },
          maxAbsDiff: diff.maxAbsDiff ?? null, compared: diff.compared, mismatches: diff.mismatches,
        };
        const uri = vscode.Uri.from({ scheme: PREDICTIONS_SCHEME, path: `/${c.modelName}-v${a}-vs-v${b}-${++n}.json` });
        docs.set(uri.toString(), JSON.stringify(result, null, 2));
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, 'json');
        await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        void vscode.window.setStatusBarMessage(`Versions ${a} and ${b}: max |difference| ${diff.maxAbsDiff ?? 'n/a'} over ${diff.compared} values`, 8000);
        return result;
      } catch (e) {
        void vscode.window.showErrorMessage(`Compare Predictions on ${c.name}: ${errorText(e)}`);
        return undefined;
      }
    }),
  ];
}
