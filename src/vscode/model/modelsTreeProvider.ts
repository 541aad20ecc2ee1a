// The Models view: repositories from settings → models → versions → signatures and files.
import * as vscode from 'vscode';
import { openStore, type RepositoryOptions } from '../../core/storage/storeRegistry';
import type { ModelLocation } from '../../core/location';
import type { ModelStore } from '../../core/storage/modelStore';
import { formatLocation } from '../../core/location';
import { readRepositories } from '../settings';
import { RepositoryNode } from './repositoryNode';
import { MessageNode, TreeNode } from '../trees/treeNode';

export class ModelsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots?: TreeNode[];
  private readonly stores = new Map<string, Promise<ModelStore>>();

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> | TreeNode[] {
    return node ? node.getChildren() : this.getRoots();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  getRoots(): TreeNode[] {
    this.roots ??= readRepositories().map((r) => {
      if (!r.location) return new MessageNode(undefined, `${r.entry}: ${r.error}`, { kind: 'error', contextValue: 'repository.invalid' });
      const location = r.location;
      const key = formatLocation(location);
      return new RepositoryNode(r.entry, location, r.label, () => {
        let store = this.stores.get(key);
        if (!store) {
          store = this.openStore(location, r.options);
          store.catch(() => this.stores.delete(key)); // retry on next expand
          this.stores.set(key, store);
        }
        return store;
      }, (model, version) => this.servedBy(model, version), (node) => this.changed.fire(node), r.options);
    });
    return this.roots;
  }

  /** Bucket stores get secrets from the host (SecretStorage); this default serves local repositories and tests. */
  openStore: (location: ModelLocation, options: RepositoryOptions) => Promise<ModelStore> = openStore;

  /** Set by the host once serving state exists: the join between model versions and running containers. */
  servedBy: (model: ModelLocation, version: number) => { name: string; state?: string }[] = () => [];

  /** Refreshes one node (its children reload) or, without a node, the whole view from settings. */
  refresh(node?: TreeNode): void {
    if (node) node.clearChildren();
    else {
      this.roots = undefined;
      this.stores.clear();
    }
    this.changed.fire(node);
  }

  /** Redraws the items already shown (descriptions, icons) without reloading anything. */
  refreshItems(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
