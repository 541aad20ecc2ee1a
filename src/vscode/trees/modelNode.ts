import * as vscode from 'vscode';
import type { ModelLocation } from '../../core/location';
import { formatLocation } from '../../core/location';
import { listVersions, type ModelVersion, type VersionListing } from '../../core/model/modelRepository';
import { errorText } from '../errorText';
import type { RepositoryNode } from './repositoryNode';
import { IgnoredFolderNode, VersionNode } from './versionNode';
import { LoadMoreNode } from './loadMoreNode';
import { publishStateNodes, type PublishStateNode } from './publishStateNodes';
import { parseStagingFolder } from '../../core/storage/publishLease';
import { MessageNode, TreeNode } from './treeNode';

export class ModelNode extends TreeNode {
  /** Pages loaded so far; a refresh starts again from the first, "Load more…" appends the next. */
  private pages: VersionListing[] = [];
  private appendNextPage = false;
  /** Version-folder prefix filter, for models with many versions. */
  filter?: string;

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
    if (this.pages.length) {
      const n = this.versions().length;
      const more = this.pages[this.pages.length - 1].nextToken ? '+' : '';
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
    return this.pages.flatMap((p) => p.versions).sort((a, b) => a.version - b.version);
  }

  /** The highest valid version among those loaded: what TF Serving serves by default. */
  servedByDefault(): number | undefined {
    const valid = this.versions().filter((v) => v.valid);
    return valid.length ? valid[valid.length - 1].version : undefined;
  }

  /** Asks for the next page on the next load; the caller then refreshes this node. */
  requestNextPage(): void {
    this.appendNextPage = true;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    const firstPage = !this.appendNextPage;
    if (firstPage) this.pages = [];
    this.appendNextPage = false;
    let publishing: PublishStateNode[] = [];
    try {
      const store = await this.repository.openStore();
      // Publishes under way or cut off stand in for their version (listing a model also repairs dead ones).
      if (firstPage) publishing = await publishStateNodes(this, store);
      const pageSize = vscode.workspace.getConfiguration('tfServing.models').get<number>('pageSize', 1000);
      const page = await listVersions(store, this.location, {
        measure: this.location.scheme === 'file',
        // Buckets: check validity only down to the version the server loads; the rest is checked on expand.
        check: this.location.scheme === 'file' ? 'all' : 'untilValid',
        pageSize,
        pageToken: this.pages[this.pages.length - 1]?.nextToken,
        prefix: this.filter,
      });
      this.pages.push(page);
    } catch (e) {
      if (!this.pages.length) return [new MessageNode(this, errorText(e), { kind: 'error' })];
      void vscode.window.showErrorMessage(`Could not load more versions of ${this.name}: ${errorText(e)}`);
    }
    const served = this.servedByDefault();
    const inProgress = new Set(publishing.map((p) => p.version));
    const versionNodes = this.versions().filter((v) => !inProgress.has(v.version)).map((v) => new VersionNode(this, v, v.version === served));
    const nodes: TreeNode[] = [...publishing, ...versionNodes].sort((a, b) => numberOf(b) - numberOf(a));
    // A publish's staging folder is shown by its publish node, not as a folder TF Serving ignores.
    const shownAsPublish = (folder: string) => { const s = parseStagingFolder(folder); return s !== undefined && inProgress.has(s.version); };
    nodes.push(...this.pages.flatMap((p) => p.ignored).filter((f) => !shownAsPublish(f.folder)).map((f) => new IgnoredFolderNode(this, f.folder, f.reason)));
    if (!this.versions().length) {
      nodes.unshift(new MessageNode(this, this.filter ? `No version folder starts with "${this.filter}"` : 'No numbered version folders', {
        kind: 'empty',
        tooltip: 'TF Serving loads folders named by an integer, e.g. 1 or 00000123. Publish a SavedModel as version 1 to start.',
      }));
    }
    if (this.pages[this.pages.length - 1]?.nextToken) nodes.push(new LoadMoreNode(this));
    return nodes;
  }
}

function numberOf(node: VersionNode | PublishStateNode): number {
  return node instanceof VersionNode ? node.version.version : node.version;
}
