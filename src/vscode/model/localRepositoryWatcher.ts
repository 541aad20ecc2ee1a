// Watches local repositories so a new model or version folder shows up without a manual refresh.
// Only the model and version levels are watched: writes deep inside a version do not churn the tree.
import * as vscode from 'vscode';
import * as path from 'path';
import type { ModelsTreeProvider } from './modelsTreeProvider';
import { RepositoryNode } from './repositoryNode';
import { ModelNode } from './modelNode';

export class LocalRepositoryWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly provider: ModelsTreeProvider) {}

  /** Re-creates watchers for the repositories currently in the view. */
  watch(): void {
    this.disposeWatchers();
    for (const root of this.provider.getRoots()) {
      if (!(root instanceof RepositoryNode) || root.location.scheme !== 'file') continue;
      const repoPath = root.location.path;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(repoPath), '{*,*/*}'));
      const onChange = (uri: vscode.Uri) => this.schedule(repoPath, uri.fsPath);
      this.watchers.push(w, w.onDidCreate(onChange), w.onDidDelete(onChange));
    }
  }

  private schedule(repoPath: string, changed: string): void {
    const rel = path.relative(repoPath, changed).split(path.sep);
    const key = `${repoPath}\0${rel.length > 1 ? rel[0] : ''}`;
    clearTimeout(this.pending.get(key));
    // Copies create many events in a burst; one refresh after they settle is enough.
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      // Look the node up now: a full refresh since the watcher started replaces every node.
      const repo = this.provider.getRoots().find((n): n is RepositoryNode => n instanceof RepositoryNode && n.location.scheme === 'file' && n.location.path === repoPath);
      if (!repo) return;
      const model = rel.length > 1 ? repo.loaded?.find((n): n is ModelNode => n instanceof ModelNode && n.name === rel[0]) : undefined;
      this.provider.refresh(model ?? repo);
    }, 300));
  }

  private disposeWatchers(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
  }

  dispose(): void {
    this.disposeWatchers();
    for (const t of this.pending.values()) clearTimeout(t);
  }
}
