// From a container's model (its source label, read back as a ModelLocation) back to the model in the Models view (the Serving → Models half of the join).
import * as vscode from 'vscode';
import { formatLocation, parentLocation, sameLocation, type ModelLocation } from '../../core/location';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { ModelNode } from './modelNode';
import { RepositoryNode } from './repositoryNode';
import type { TreeNode } from '../trees/treeNode';
import { COMMANDS } from '../contributions';

export async function revealServedModel(provider: ModelsTreeProvider, view: vscode.TreeView<TreeNode>, model: ModelLocation): Promise<void> {
  const repoLoc = parentLocation(model);
  const repo = provider.getRoots().find((r): r is RepositoryNode => r instanceof RepositoryNode && sameLocation(r.location, repoLoc));
  if (!repo) {
    const add = await vscode.window.showInformationMessage(`${formatLocation(repoLoc)} is not in the Models view.`, 'Add Repository');
    if (add) await vscode.commands.executeCommand(COMMANDS.addRepository, repoLoc.scheme === 'file' ? repoLoc.path : formatLocation(repoLoc));
    return;
  }
  const node = (await repo.getChildren()).find((n): n is ModelNode => n instanceof ModelNode && sameLocation(n.location, model));
  await view.reveal(node ?? repo, { select: true, focus: true, expand: true });
}
