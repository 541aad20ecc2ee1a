import type { ModelVersion } from '../../core/model/modelRepository';
import type { ModelStore } from '../../core/storage/modelStore';
import type { TreeNode } from './treeNode';

export async function loadModelContentNodes(_parent: TreeNode, _store: ModelStore, _version: ModelVersion): Promise<TreeNode[]> {
  return [];
}
