// "Send Test Request…": builds a predict request from the served signature, lets the user edit it, sends it and
// shows the answer with its round-trip time.
import * as vscode from 'vscode';
import { buildPredictRequest, signatureInputsFromMetadata, type PredictFormat } from '../../core/serving/predictRequestBuilder';
import { errorText } from '../errorText';
import type { ServingState } from './servingState';
import { ContainerNode, ServedVersionNode } from './servingTreeProvider';
import { COMMANDS } from '../contributions';
import { protocolLabel, type ServingProtocol } from '../../core/serving/servingClient';
import type { Doctor } from '../doctor/doctor';
import type { SentRequestLog } from '../../core/warmup/sentRequests';

export const RESPONSE_SCHEME = 'tfserving-response';

export interface TestRequestArgs {
  readonly containerId?: string;
  readonly signatureName?: string;
  readonly format?: PredictFormat;
  /** The request body; when given nothing is asked. */
  readonly body?: unknown;
  readonly version?: number;
  readonly label?: string;
}

export interface TestRequestResult {
  /** The REST URL, or the gRPC address and method, the request went to. */
  readonly url: string;
  readonly protocol: ServingProtocol;
  readonly request: unknown;
  readonly response?: unknown;
  readonly error?: string;
  readonly httpStatus?: number;
  readonly millis?: number;
}

/** `sent` keeps every request TF Serving answered, for "Generate Warmup Requests…". */
export function registerSendTestRequestCommand(state: ServingState, doctor?: Pick<Doctor, 'requestFailed'>, sent?: SentRequestLog): vscode.Disposable[] {
  const documents = new Map<string, string>();
  let counter = 0;
  const provider: vscode.TextDocumentContentProvider = { provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? '{}' };

  return [
    vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, provider),
    vscode.commands.registerCommand(COMMANDS.sendTestRequest, async (node?: ContainerNode | ServedVersionNode, args: TestRequestArgs = {}): Promise<TestRequestResult | undefined> => {
      if (!state.containers.length) await state.reload();
      const running = state.reachable();
      const container = node instanceof ContainerNode || node instanceof ServedVersionNode ? node.container
        : args.containerId ? running.find((c) => c.id === args.containerId || c.name === args.containerId)
        : running.length === 1 ? running[0]
        : (await vscode.window.showQuickPick(running.map((c) => ({ label: c.name, description: c.modelName, c })), { title: 'Send a test request to…' }))?.c;
      const client = container && await state.clientOf(container);
      if (!client || !container?.modelName) {
        if (!running.length) void vscode.window.showInformationMessage('No running TF Serving server with a known model; start one from the Models view.');
        return undefined;
      }
      const version = node instanceof ServedVersionNode ? Number(node.version) : args.version;
      const sel = args.label ? { label: args.label } : version !== undefined ? { version } : undefined;
      let body = args.body;
      if (body === undefined) {
        try {
          const meta = await client.metadata(container.modelName, sel);
          const sigs = meta.value.metadata.signature_def.signature_def;
          const names = Object.keys(sigs).filter((n) => !n.startsWith('__'));
          const signatureName = args.signatureName ?? (names.length === 1 ? names[0] : (await vscode.window.showQuickPick(names.sort((a, b) => (a === 'serving_default' ? -1 : b === 'serving_default' ? 1 : a.localeCompare(b))), { title: 'Signature' })));
          if (!signatureName) return undefined;
          const format = args.format ?? ((await vscode.window.showQuickPick([
            { label: 'Row format', description: '{"instances": [...]}', f: 'row' as const },
            { label: 'Columnar format', description: '{"inputs": ...}', f: 'columnar' as const },
          ], { title: 'Request format' }))?.f);
          if (!format) return undefined;
          const sample = buildPredictRequest(signatureInputsFromMetadata(sigs[signatureName]), format, signatureName);
          const edited = await vscode.window.showInputBox({
            title: `Predict request for ${container.modelName} (${signatureName})`,
            value: JSON.stringify(sample),
            prompt: 'Edit the JSON body, then press Enter to send',
            validateInput: (v) => { try { JSON.parse(v); return undefined; } catch (e) { return `Not JSON: ${(e as Error).message}`; } },
          });
          if (edited === undefined) return undefined;
          body = JSON.parse(edited);
        } catch (e) {
          void vscode.window.showErrorMessage(`Could not read the signatures of ${container.modelName}: ${errorText(e)}`);
          return undefined;
        }
      }
      const url = client.describe('predict', container.modelName, sel);
      const protocol = client.protocol;
      let result: TestRequestResult;
      try {
        const r = await client.predict(container.modelName, body, sel);
        result = { url, protocol, request: body, response: r.value, httpStatus: (r as { httpStatus?: number }).httpStatus, millis: Math.round(r.millis * 10) / 10 };
        sent?.record(container.modelName, body);
      } catch (e) {
        result = { url, protocol, request: body, error: errorText(e), httpStatus: (e as { httpStatus?: number }).httpStatus };
      }
      const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${container.modelName}-response-${++counter}.json` });
      documents.set(uri.toString(), JSON.stringify(result, null, 2));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      // The doctor explains a failure it knows (with the corrected request); others are shown as they are.
      if (result.error) {
        if (!(await doctor?.requestFailed(container, result.error, body))?.length) void vscode.window.showErrorMessage(`Predict failed: ${result.error}`);
      } else void vscode.window.setStatusBarMessage(`TF Serving answered over ${protocolLabel(protocol)} in ${result.millis} ms`, 5000);
      return result;
    }),
  ];
}
