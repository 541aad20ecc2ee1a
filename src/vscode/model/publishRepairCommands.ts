// Repair Model (finish or roll back every dead publish of a model), and Resume / Roll back on a version whose
// publish was cut off. The decisions are core's (store.repair); these commands only ask and report.
import * as vscode from 'vscode';
import type { RepairAction } from '../../core/storage/modelStore';
import { errorText } from '../errorText';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { ModelNode } from './modelNode';
import { PublishStateNode } from './publishStateNodes';
import { COMMANDS } from '../contributions';

export function registerPublishRepairCommands(provider: ModelsTreeProvider): vscode.Disposable[] {
  const repair = async (model: ModelNode, what: string, version?: number, action: RepairAction = 'auto') => {
    try {
      const store = await model.repository.openStore();
      const outcomes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${what}…` },
        () => store.repair(model.location, { version, action }));
      provider.refresh(model);
      const said = outcomes.map((o) => o.message);
      void vscode.window.showInformationMessage(said.length ? `${model.name}: ${said.join(' ')}` : `${model.name}: no interrupted publish${version !== undefined ? ` of version ${version}` : ''}; nothing to repair.`);
      return outcomes;
    } catch (e) {
      void vscode.window.showErrorMessage(`${what} failed: ${errorText(e)}`);
      return undefined;
    }
  };
  return [
    vscode.commands.registerCommand(COMMANDS.repairModel, async (node?: ModelNode) => {
      if (!(node instanceof ModelNode)) {
        void vscode.window.showInformationMessage('Run "Repair Model" from a model in the Models view.');
        return undefined;
      }
      return repair(node, `Repairing ${node.name}`);
    }),
    vscode.commands.registerCommand(COMMANDS.resumePublish, async (node?: PublishStateNode) => {
      if (!(node instanceof PublishStateNode)) return undefined;
      return repair(node.model, `Resuming the publish of ${node.model.name} version ${node.version}`, node.version, 'resume');
    }),
    vscode.commands.registerCommand(COMMANDS.rollBackPublish, async (node?: PublishStateNode, confirmed?: boolean) => {
      if (!(node instanceof PublishStateNode)) return undefined;
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(`Roll back the publish of ${node.model.name} version ${node.version}?`, {
          modal: true,
          detail: 'What it uploaded is removed, including any part of the version a server could already see. The source folder is not touched.',
        }, 'Roll Back');
        if (answer !== 'Roll Back') return undefined;
      }
      return repair(node.model, `Rolling back the publish of ${node.model.name} version ${node.version}`, node.version, 'rollBack');
    }),
  ];
}
