import * as vscode from 'vscode';
import type { ModelLocation } from '../../core/location';
import { formatLocation } from '../../core/location';
import { listVersions, type ModelVersion, type VersionListing } from '../../core/model/modelRepository';
import { readPageSize } from '../settings';
import type { RepositoryNode } from './repositoryNode';
import { IgnoredFolderNode, VersionNode } from './versionNode';
import { PagedNode, type PageOf } from '../trees/pagedNode';
import { publishStateNodes, type PublishStateNode } from './publishStateNodes';
import { parseStagingFolder } from '../../core/storage/publishLease';
import { MessageNode, type TreeNode } from '../trees/treeNode';

export class ModelNode extends PagedNode<VersionListing> {
  /** Version-folder prefix filter, for models with many versions. */
  filter?: string;
  /** Publishes under way or cut off, read with the first page; they stand in for their version. */
  private publishing: PublishStateNode[] = [];

  constructor(readonly repository: RepositoryNode, readonly name: string, readonly location: ModelLocation) {
    super(repository);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `model:${formatLocation(this.location)}`;
    const where = this.location.scheme === 'file' ? 'local' : this.location.scheme;
    item.contextValue = `model.${where}${this.filter ? '.filtered' : ''}`;
    item.iconPath = new vscode.ThemeIcon('package');
    const parts: string[] = [];
    if (this.loadedItems().length) {
      const n = this.versions().length;
      const more = this.hasMore() ? '+' : '';
      const served = this.servedByDefault();
      parts.push(`${n}${more} version${n === 1 && !more ? '' : 's'}`);
      if (served !== undefined) parts.push(`serves ${served}`);
    }
    if (this.filter) parts.push(`filter: ${this.filter}*`);
    item.description = parts.join(' · ');
    item.tooltip = new vscode.MarkdownString(`**Model** \`${this.name}\`\n\n\`${formatLocation(this.location)}\``);
    return item;
  }

  /** Every version loaded so far, ascending. */
  versions(): ModelVersion[] {
    return this.loadedItems().flatMap((p) => p.versions).sort((a, b) => a.version - b.version);
  }

  /** The highest valid version among those loaded: what TF Serving serves by default. */
  servedByDefault(): number | undefined {
    const valid = this.versions().filter((v) => v.valid);
    return valid.length ? valid[valid.length - 1].version : undefined;
  }

  protected describeLevel(): string {
    return `versions of ${this.name}`;
  }

  protected async fetchPage(pageToken: string | undefined): Promise<PageOf<VersionListing>> {
    const store = await this.repository.openStore();
    // Listing a model also repairs dead publishes; those still under way or cut off are shown as such.
    if (pageToken === undefined) this.publishing = await publishStateNodes(this, store);
    const page = await listVersions(store, this.location, {
      // Buckets: check validity only down to the version the server loads; the rest is checked on expand.
      check: this.location.scheme === 'file' ? 'all' : 'untilValid',
      pageSize: readPageSize(),
      pageToken,
      prefix: this.filter,
    });
    return { items: [page], nextToken: page.nextToken };
  }

  protected renderItems(): TreeNode[] {
    const served = this.servedByDefault();
    const inProgress = new Set(this.publishing.map((p) => p.version));
    const versionNodes = this.versions().filter((v) => !inProgress.has(v.version)).map((v) => new VersionNode(this, v, v.version === served));
    const nodes: TreeNode[] = [...this.publishing, ...versionNodes].sort((a, b) => numberOf(b) - numberOf(a));
    // A publish's staging folder is shown by its publish node, not as a folder TF Serving ignores.
    const shownAsPublish = (folder: string) => { const s = parseStagingFolder(folder); return s !== undefined && inProgress.has(s.version); };
    nodes.push(...this.loadedItems().flatMap((p) => p.ignored).filter((f) => !shownAsPublish(f.folder)).map((f) => new IgnoredFolderNode(this, f.folder, f.reason)));
    if (!this.versions().length) {
      nodes.unshift(new MessageNode(this, this.filter ? `No version folder starts with "${this.filter}"` : 'No numbered version folders', {
        kind: 'empty',
        tooltip: 'TF Serving loads folders named by an integer, e.g. 1 or 00000123. Publish a SavedModel as version 1 to start.',
      }));
    }
    return nodes;
  }
}

function numberOf(node: TreeNode): number {
  return node instanceof VersionNode ? node.version.version : (node as PublishStateNode).version;
}
