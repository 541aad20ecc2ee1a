// Publishes found in a model's staging folders, shown in the Models view. Listing a model is a touch of it: a dead
// publish is finished (every byte was in) or rolled back in the background, the user is told which, and the model
// reloads. Until then — and for good if the repair fails — the version shows as "publish interrupted" with Resume and
// Roll back (contextValue `publish.interrupted`); a publish that is still live elsewhere shows as "publishing".
import * as vscode from 'vscode';
import { formatLocation } from '../../core/location';
import type { ModelStore, PublishInProgress } from '../../core/storage/modelStore';
import { errorText } from '../errorText';
import type { ModelNode } from './modelNode';
import { TreeNode } from '../trees/treeNode';
import { readRepairInterruptedPublishes } from '../settings';

export class PublishStateNode extends TreeNode {
  constructor(readonly model: ModelNode, readonly publish: PublishInProgress, private readonly repairError?: string, private readonly repairing = false) {
    super(model);
  }

  get version(): number {
    return this.publish.version;
  }

  getTreeItem(): vscode.TreeItem {
    const p = this.publish;
    const item = new vscode.TreeItem(String(p.version), vscode.TreeItemCollapsibleState.None);
    item.id = `publish:${formatLocation(this.model.location)}/${p.version}`;
    const where = this.model.location.scheme === 'file' ? 'local' : this.model.location.scheme;
    item.contextValue = `publish.${p.live ? 'live' : 'interrupted'}.${p.phase}.${where}`;
    item.description = p.live ? 'publishing…' : `publish interrupted${this.repairError ? ' · repair failed' : this.repairing ? ' · repairing…' : ''}`;
    item.iconPath = p.live ? new vscode.ThemeIcon('sync~spin') : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Version ${p.version}**: ${p.live ? 'a publish is under way' : 'its publish was cut off'}${p.owner ? ` (${p.owner})` : ''}.\n\n`);
    md.appendMarkdown(p.phase === 'revealing'
      ? 'Every byte is in the store; the version was being made visible. **Resume** finishes it (graph file last); **Roll back** removes it.\n\n'
      : 'Its upload had not finished, so nothing of it is visible to TF Serving. **Roll back** removes what it left.\n\n');
    if (this.repairError) md.appendMarkdown(`The automatic repair failed: ${this.repairError}\n\n`);
    item.tooltip = md;
    return item;
  }
}

/** Repairs that failed recently, per model URI and version: not retried on every reload, shown in the tooltip. */
const failedRepairs = new Map<string, { at: number; error: string }>();
const RETRY_FAILED_AFTER_MS = 60_000;
const running = new Set<string>();

/** The nodes for the model's publishes in progress (first page only), and a background repair of the dead ones. */
export async function publishStateNodes(model: ModelNode, store: ModelStore): Promise<PublishStateNode[]> {
  let publishes: PublishInProgress[];
  try {
    publishes = await store.listPublishes(model.location);
  } catch {
    return []; // the listing itself reports store errors
  }
  const key = (v: number) => `${formatLocation(model.location)}#${v}`;
  const auto = readRepairInterruptedPublishes();
  const dead = !auto ? [] : publishes.filter((p) => !p.live && !running.has(key(p.version)) && !(Date.now() - (failedRepairs.get(key(p.version))?.at ?? 0) < RETRY_FAILED_AFTER_MS));
  if (dead.length) void repairInBackground(model, store, dead.map((p) => p.version), key);
  return publishes.map((p) => new PublishStateNode(model, p, failedRepairs.get(key(p.version))?.error, running.has(key(p.version))));
}

async function repairInBackground(model: ModelNode, store: ModelStore, versions: number[], key: (v: number) => string): Promise<void> {
  for (const v of versions) running.add(key(v));
  const messages: string[] = [];
  try {
    for (const version of versions) {
      try {
        for (const o of await store.repair(model.location, { version })) if (o.outcome !== 'live') messages.push(o.message);
        failedRepairs.delete(key(version));
      } catch (e) {
        failedRepairs.set(key(version), { at: Date.now(), error: errorText(e) });
        void vscode.window.showErrorMessage(`${model.name}: could not repair the interrupted publish of version ${version}: ${errorText(e)}`);
      }
    }
  } finally {
    for (const v of versions) running.delete(key(v));
  }
  if (messages.length) void vscode.window.showInformationMessage(`${model.name}: ${messages.join(' ')}`);
  model.clearChildren();
  model.repository.redraw(model);
}
