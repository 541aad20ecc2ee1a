// One base class for every tree node: each node caches its own children until clearChildren().
import * as vscode from 'vscode';

export abstract class TreeNode {
  private cached?: Promise<TreeNode[]>;
  /** The children from the last completed load, for finding nodes without loading anything. */
  loaded?: TreeNode[];

  constructor(readonly parent: TreeNode | undefined) {}

  abstract getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;

  /** Loads children; called once until clearChildren(). Leaf nodes keep the default. */
  protected async loadChildren(): Promise<TreeNode[]> {
    return [];
  }

  getChildren(): Promise<TreeNode[]> {
    // A failed load must not stick: the next expand tries again.
    this.cached ??= this.loadChildren().then(
      (children) => (this.loaded = children),
      (e) => {
        this.cached = undefined;
        throw e;
      },
    );
    return this.cached;
  }

  clearChildren(): void {
    this.cached = undefined;
    this.loaded = undefined;
  }
}

/** A leaf that says something instead of leaving a level blank: an error, an empty level, a hint. */
export class MessageNode extends TreeNode {
  constructor(parent: TreeNode | undefined, private readonly label: string, private readonly options: { kind: 'error' | 'warning' | 'info' | 'empty'; tooltip?: string; contextValue?: string } = { kind: 'info' }) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.tooltip = this.options.tooltip ?? this.label;
    item.contextValue = this.options.contextValue ?? `message.${this.options.kind}`;
    const { kind } = this.options;
    item.iconPath = new vscode.ThemeIcon(
      kind === 'error' ? 'error' : kind === 'warning' ? 'warning' : kind === 'empty' ? 'circle-slash' : 'info',
      kind === 'error' ? new vscode.ThemeColor('errorForeground') : kind === 'warning' ? new vscode.ThemeColor('list.warningForeground') : undefined,
    );
    return item;
  }
}
