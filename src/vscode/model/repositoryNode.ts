import * as vscode from 'vscode';
import type { ModelLocation } from '../../core/location';
import { displayLocation, formatLocation } from '../../core/location';
import { listModels } from '../../core/model/modelRepository';
import type { ModelStore } from '../../core/storage/modelStore';
import type { RepositoryOptions } from '../../core/storage/storeRegistry';
import { readPageSize } from '../settings';
import { ModelNode } from './modelNode';
import { PagedNode, type PageOf } from '../trees/pagedNode';
import { MessageNode, type TreeNode } from '../trees/treeNode';

export class RepositoryNode extends PagedNode<{ name: string; location: ModelLocation }> {
  constructor(
    /** The entry exactly as written in tfServing.modelRepositories, so Remove can find it. */
    readonly settingEntry: string,
    readonly location: ModelLocation,
    private readonly label: string | undefined,
    private readonly store: () => Promise<ModelStore>,
    /** Which running servers serve a version of a model under this repository (from the Serving view's state). */
    readonly servedBy: (model: ModelLocation, version: number) => { name: string; state?: string }[] = () => [],
    /** Redraws one node's item after it learned more about itself (e.g. a bucket version's validity). */
    readonly redraw: (node: TreeNode) => void = () => undefined,
    /** Connection options from settings (endpoint, region…); never secrets. */
    readonly options: Omit<RepositoryOptions, 'credentials' | 'serviceAccountJson'> = {},
  ) {
    super(undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label ?? displayLocation(this.location), vscode.TreeItemCollapsibleState.Expanded);
    item.id = `repo:${formatLocation(this.location)}`;
    item.contextValue = `repository.${this.location.scheme === 'file' ? 'local' : this.location.scheme}`;
    item.iconPath = new vscode.ThemeIcon(this.location.scheme === 'file' ? 'folder-library' : 'cloud');
    item.tooltip = new vscode.MarkdownString(`**Model repository**\n\n\`${formatLocation(this.location)}\``);
    if (this.location.scheme === 'file') item.resourceUri = vscode.Uri.file(this.location.path);
    return item;
  }

  openStore(): Promise<ModelStore> {
    return this.store();
  }

  protected describeLevel(): string {
    return `models of ${this.label ?? displayLocation(this.location)}`;
  }

  protected async fetchPage(pageToken: string | undefined): Promise<PageOf<{ name: string; location: ModelLocation }>> {
    const { models, nextToken } = await listModels(await this.store(), this.location, { pageSize: readPageSize(), pageToken });
    return { items: models, nextToken };
  }

  protected renderItems(models: { name: string; location: ModelLocation }[]): TreeNode[] {
    if (!models.length && !this.hasMore()) {
      return [new MessageNode(this, 'No models here yet', { kind: 'empty', tooltip: 'A repository holds one folder per model, each with numbered version folders (1, 2, 00000123…).' })];
    }
    return models.map((m) => new ModelNode(this, m.name, m.location));
  }
}
