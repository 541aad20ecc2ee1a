import * as vscode from 'vscode';
import type { TreeNode } from '../trees/treeNode';

export function registerModelDetailsCommand(_context: vscode.ExtensionContext, _view: vscode.TreeView<TreeNode>): vscode.Disposable {
  return vscode.commands.registerCommand('tfServing.showModelDetails', async () => undefined);
}
