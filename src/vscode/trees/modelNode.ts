import * as vscode from 'vscode';
import type { ModelLocation } from '../../core/location';
import { formatLocation } from '../../core/location';
import { listVersions, type VersionListing } from '../../core/model/modelRepository';
import { formatBytes } from '../../core/format';
import { errorText } from '../errorText';
import type { RepositoryNode } from './repositoryNode';
import { IgnoredFolderNode, VersionNode } from './versionNode';
import { MessageNode, TreeNode } from './treeNode';

export class ModelNode extends TreeNode {
  private listing?: VersionListing;

  constructor(readonly repository: RepositoryNode, readonly name: string, readonly location: ModelLocation) {
    super(repository);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `model:${formatLocation(this.location)}`;
    item.contextValue = `model.${this.location.scheme === 'file' ? 'local' : this.location.scheme}`;
    item.iconPath = new vscode.ThemeIcon('package');
    if (this.listing) {
      const n = this.listing.versions.length;
      const served = this.listing.servedByDefault;
      item.description = `${n} version${n === 1 ? '' : 's'}${served !== undefined ? ` · serves ${served}` : ''}`;
    }
    item.tooltip = new vscode.MarkdownString(`**Model** \`${this.name}\`\n\n\`${formatLocation(this.location)}\``);
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    try {
      const store = await this.repository.openStore();
      const listing = await listVersions(store, this.location, { measure: this.location.scheme === 'file' });
      this.listing = listing;
      const nodes: TreeNode[] = [...listing.versions].reverse().map((v) => new VersionNode(this, v, v.version === listing.servedByDefault));
      nodes.push(...listing.ignored.map((f) => new IgnoredFolderNode(this, f.folder, f.reason)));
      if (!listing.versions.length) nodes.unshift(new MessageNode(this, 'No numbered version folders', { kind: 'empty', tooltip: 'TF Serving loads folders named by an integer, e.g. 1 or 00000123. Publish a SavedModel as version 1 to start.' }));
      return nodes;
    } catch (e) {
      return [new MessageNode(this, errorText(e), { kind: 'error' })];
    }
  }

  /** Total over measured versions, for reports. */
  totalBytes(): string | undefined {
    const b = this.listing?.versions.reduce((s, v) => s + (v.bytes ?? 0), 0);
    return b === undefined ? undefined : formatBytes(b);
  }
}
