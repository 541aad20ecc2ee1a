import * as vscode from 'vscode';
import type { ModelLocation } from '../../core/location';
import { childLocation, displayLocation, formatLocation } from '../../core/location';
import type { ModelStore, StoreEntry } from '../../core/storage/modelStore';
import { formatBytes } from '../../core/format';
import { readPageSize } from '../settings';
import { PagedNode, type PageOf } from '../trees/pagedNode';
import { MessageNode, TreeNode } from '../trees/treeNode';

/** "Files" under a version: listed only when expanded, one level at a time. */
export class FilesFolderNode extends PagedNode<StoreEntry> {
  constructor(parent: TreeNode, private readonly store: ModelStore, readonly location: ModelLocation, private readonly label = 'Files') {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `files:${formatLocation(this.location)}:${this.label}`;
    item.contextValue = 'files';
    item.iconPath = vscode.ThemeIcon.Folder;
    return item;
  }

  protected describeLevel(): string {
    return `files of ${displayLocation(this.location)}`;
  }

  protected fetchPage(pageToken: string | undefined): Promise<PageOf<StoreEntry>> {
    return this.store.listChildren(this.location, { pageSize: readPageSize(), pageToken });
  }

  protected renderItems(entries: StoreEntry[]): TreeNode[] {
    if (!entries.length && !this.hasMore()) return [new MessageNode(this, 'Empty folder', { kind: 'empty' })];
    // Folders first, then files, each in listing order (pages arrive sorted by name).
    return [
      ...entries.filter((e) => e.kind === 'folder').map((f) => new FilesFolderNode(this, this.store, childLocation(this.location, f.name), f.name)),
      ...entries.filter((e) => e.kind === 'file').map((f) => new FileNode(this, childLocation(this.location, f.name), f.name, f.bytes)),
    ];
  }
}

export class FileNode extends TreeNode {
  constructor(parent: TreeNode, readonly location: ModelLocation, private readonly name: string, private readonly bytes?: number) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = `file:${formatLocation(this.location)}`;
    item.contextValue = `file.${this.location.scheme === 'file' ? 'local' : this.location.scheme}`;
    item.description = this.bytes !== undefined ? formatBytes(this.bytes) : undefined;
    if (this.location.scheme === 'file') {
      item.resourceUri = vscode.Uri.file(this.location.path);
      // Binary model files open in the hex/binary editor prompt; text files (assets, pbtxt) open directly.
      item.command = { command: 'vscode.open', title: 'Open', arguments: [item.resourceUri] };
    } else {
      item.iconPath = vscode.ThemeIcon.File;
    }
    item.tooltip = `${formatLocation(this.location)}${this.bytes !== undefined ? `\n${formatBytes(this.bytes)}` : ''}`;
    return item;
  }
}
