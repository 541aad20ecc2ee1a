// "Check with promtool" on a prometheus.yml: runs Prometheus' `promtool check config` on the saved file and shows
// its verdict beside ours (the same findings `tfserving-studio validate` prints). The command is offered only
// when promtool is on PATH (context key tfServing.promtoolOnPath, looked up without starting a process).
import * as vscode from 'vscode';
import { promtoolCheckUserConfig, promtoolOnPath } from '../monitoring/promtoolCheck';
import { loadLanguageServices } from './loadLanguageServices';
import { COMMANDS } from '../contributions';

export const CHECK_WITH_PROMTOOL = COMMANDS.checkWithPromtool;
const CONTEXT_KEY = 'tfServing.promtoolOnPath';

export function registerPromtoolCommand(): vscode.Disposable[] {
  const output = vscode.window.createOutputChannel('TF Serving: promtool');
  void promtoolOnPath().then((found) => vscode.commands.executeCommand('setContext', CONTEXT_KEY, found));
  const command = vscode.commands.registerCommand(CHECK_WITH_PROMTOOL, async (uri?: vscode.Uri) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Check with promtool: open a prometheus.yml saved on disk first (promtool reads the file and the files it names).');
      return undefined;
    }
    if (doc.isDirty && !(await doc.save())) return undefined;
    const run = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'promtool check config' }, () => promtoolCheckUserConfig(doc.fileName));
    if (!run) {
      void vscode.window.showWarningMessage('promtool is not on PATH. Install Prometheus\' promtool (e.g. apt-get install prometheus) to compare; TF Serving Studio\'s own check keeps running.');
      return undefined;
    }
    const { validatePrometheusConfig, localFileHost, promtoolReport } = loadLanguageServices();
    const ours = validatePrometheusConfig(vscode.workspace.asRelativePath(doc.uri), doc.getText(), { host: localFileHost, absolutePath: doc.fileName });
    const report = promtoolReport(vscode.workspace.asRelativePath(doc.uri), ours, run);
    output.clear();
    output.appendLine(report);
    output.show(true);
    return report;
  });
  return [output, command];
}
