// A tree level read page by page: the first page on expand, the next one appended by its "Load more…" child.
// Repositories (models), models (versions) and folders (files) all page this way, so no level silently truncates.
import * as vscode from 'vscode';
import { errorText } from '../errorText';
import { COMMANDS } from '../contributions';
import { MessageNode, TreeNode } from './treeNode';

export interface PageOf<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

export abstract class PagedNode<T> extends TreeNode {
  /** Pages loaded so far; a refresh starts again from the first, "Load more…" appends the next. */
  private pages: PageOf<T>[] = [];
  private appendNextPage = false;

  /** Reads one page of this level. */
  protected abstract fetchPage(pageToken: string | undefined): Promise<PageOf<T>>;

  /** The child nodes for every item loaded so far (without the "Load more…" node). */
  protected abstract renderItems(items: T[]): TreeNode[];

  /** What this level lists, for "Could not load more … of …" ("models of s3://bucket"). */
  protected abstract describeLevel(): string;

  /** Every item loaded so far, in page order. */
  loadedItems(): T[] {
    return this.pages.flatMap((p) => p.items);
  }

  /** True when the last page said more remain. */
  hasMore(): boolean {
    return this.pages.at(-1)?.nextToken !== undefined;
  }

  /** Asks for the next page on the next load; the caller then refreshes this node. */
  requestNextPage(): void {
    this.appendNextPage = true;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    if (!this.appendNextPage) this.pages = [];
    this.appendNextPage = false;
    try {
      this.pages.push(await this.fetchPage(this.pages.at(-1)?.nextToken));
    } catch (e) {
      if (!this.pages.length) return [new MessageNode(this, errorText(e), { kind: 'error' })];
      void vscode.window.showErrorMessage(`Could not load more ${this.describeLevel()}: ${errorText(e)}`);
    }
    const nodes = this.renderItems(this.loadedItems());
    if (this.hasMore()) nodes.push(new LoadMoreNode(this));
    return nodes;
  }
}

/** The last child of a paged level: clicking it appends the next page to its parent. */
export class LoadMoreNode extends TreeNode {
  constructor(readonly owner: PagedNode<unknown>) {
    super(owner);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: COMMANDS.loadMore, title: 'Load more', arguments: [this] };
    return item;
  }
}
