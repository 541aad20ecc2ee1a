// Registers the conversion commands; their work (and the core's converters) loads on first use.
import * as vscode from 'vscode';
import type { ModelsTreeProvider } from '../model/modelsTreeProvider';
import { ConversionDocuments, CONVERSION_SCHEME } from './conversionDocuments';
import type { ConversionContext } from './conversionCommands';
import { COMMANDS } from '../contributions';

export const CONVERSION_LOG_NAME = 'TF Serving: Conversion';

export function registerConversionCommands(models: ModelsTreeProvider): vscode.Disposable[] {
  const documents = new ConversionDocuments();
  let log: vscode.OutputChannel | undefined;
  const context = (): ConversionContext => ({ models, documents, log: (log ??= vscode.window.createOutputChannel(CONVERSION_LOG_NAME)) });
  const load = () => import('./conversionCommands');
  return [
    documents,
    vscode.workspace.registerTextDocumentContentProvider(CONVERSION_SCHEME, documents),
    vscode.commands.registerCommand(COMMANDS.convertToTflite, async (node?: unknown, args?: unknown) =>
      (await load()).convertVersion(context(), 'tflite', node, args as never)),
    vscode.commands.registerCommand(COMMANDS.convertToTensorRt, async (node?: unknown, args?: unknown) =>
      (await load()).convertVersion(context(), 'tensorrt', node, args as never)),
    vscode.commands.registerCommand(COMMANDS.showConversionScript, async (node?: unknown, args?: unknown) =>
      (await load()).showConversionScript(context(), node, args as never)),
    vscode.commands.registerCommand(COMMANDS.compareVersions, async (node?: unknown, other?: unknown) =>
      (await load()).compareVersions(context(), node, other)),
    vscode.commands.registerCommand(COMMANDS.compareOutputs, async (node?: unknown, other?: unknown, args?: unknown) =>
      (await load()).compareOutputs(context(), node, other, args as never)),
    { dispose: () => log?.dispose() },
  ];
}
