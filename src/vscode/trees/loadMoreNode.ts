import * as vscode from 'vscode';
import { TreeNode } from './treeNode';

/** The last child of a paged level: clicking it appends the next page to its parent. */
export class LoadMoreNode extends TreeNode {
  constructor(readonly owner: TreeNode & { requestNextPage(): void }) {
    super(owner);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'tfServing.loadMore', title: 'Load more', arguments: [this] };
    return item;
  }
}
