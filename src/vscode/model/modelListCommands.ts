// Paging and filtering of a model's versions.
import * as vscode from 'vscode';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { LoadMoreNode } from '../trees/pagedNode';
import { ModelNode } from './modelNode';
import { COMMANDS } from '../contributions';

export function registerModelListCommands(provider: ModelsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.loadMore, (node?: LoadMoreNode) => {
      if (!(node instanceof LoadMoreNode)) return;
      node.owner.requestNextPage();
      provider.refresh(node.owner);
    }),
    vscode.commands.registerCommand(COMMANDS.filterVersions, async (node?: ModelNode, prefix?: string) => {
      if (!(node instanceof ModelNode)) return;
      const value = prefix ?? (await vscode.window.showInputBox({
        title: `Filter versions of ${node.name}`,
        prompt: 'Show version folders starting with (empty clears the filter)',
        value: node.filter ?? '',
      }));
      if (value === undefined) return;
      node.filter = value.trim() || undefined;
      provider.refresh(node);
    }),
    vscode.commands.registerCommand(COMMANDS.clearVersionFilter, (node?: ModelNode) => {
      if (!(node instanceof ModelNode)) return;
      node.filter = undefined;
      provider.refresh(node);
    }),
  ];
}
