// The Serving view. Containers arrive with Docker support; until then it stays empty so its welcome text shows.
import * as vscode from 'vscode';
import type { TreeNode } from './treeNode';

export class ServingTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> | TreeNode[] {
    return node ? node.getChildren() : [];
  }
}
