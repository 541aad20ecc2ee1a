import * as vscode from 'vscode';
import { formatLocation } from '../../core/location';
import { checkVersion, type ModelVersion } from '../../core/model/modelRepository';
import { formatBytes } from '../../core/format';
import type { ModelStore } from '../../core/storage/modelStore';
import { errorText } from '../errorText';
import { readShowFiles } from '../settings';
import type { ModelNode } from './modelNode';
import { FilesFolderNode } from './fileNodes';
import { loadModelContentNodes } from './modelContentNodes';
import { MessageNode, TreeNode } from '../trees/treeNode';

export class VersionNode extends TreeNode {
  constructor(readonly model: ModelNode, public version: ModelVersion, readonly servedByDefault: boolean) {
    super(model);
  }

  get location() {
    return this.version.location;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.version;
    const item = new vscode.TreeItem(String(v.version), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `version:${formatLocation(v.location)}`;
    const where = v.location.scheme === 'file' ? 'local' : v.location.scheme;
    item.contextValue = `version.${v.valid ? 'valid' : 'invalid'}.${v.format ?? 'unknown'}.${where}`;
    const servedIn = this.model.repository.servedBy(this.model.location, v.version);
    const parts: string[] = [];
    if (v.folder !== String(v.version)) parts.push(v.folder);
    if (v.format) parts.push(v.format === 'tflite' ? 'TFLite' : 'SavedModel');
    if (v.bytes !== undefined) parts.push(formatBytes(v.bytes));
    if (this.servedByDefault) parts.push('served by default');
    if (!v.valid) parts.push(`missing ${v.missing.join(', ')}`);
    if (v.unchecked) parts.push('expand to check');
    for (const s of servedIn) parts.push(`${s.state ?? 'served'} in ${s.name}`);
    item.description = parts.join(' · ');
    item.iconPath = !v.valid
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(this.servedByDefault ? 'star-full' : 'versions');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Version ${v.version}**${v.folder !== String(v.version) ? ` (folder \`${v.folder}\`)` : ''}\n\n`);
    md.appendMarkdown(`\`${formatLocation(v.location)}\`\n\n`);
    if (!v.valid) md.appendMarkdown(`$(warning) TF Serving cannot load this version: missing ${v.missing.map((m) => `\`${m}\``).join(', ')}.\n\n`);
    else if (this.servedByDefault) md.appendMarkdown('TF Serving loads this version by default: it is the highest valid version.\n\n');
    if (v.bytes !== undefined) md.appendMarkdown(`${formatBytes(v.bytes)} in ${v.objects} file${v.objects === 1 ? '' : 's'}\n\n`);
    for (const s of servedIn) md.appendMarkdown(`$(server-process) ${s.state ?? 'Served'} in container \`${s.name}\`\n\n`);
    md.supportThemeIcons = true;
    item.tooltip = md;
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    try {
      const store = await this.model.repository.openStore();
      if (this.version.unchecked) {
        this.version = await checkVersion(store, this.version);
        this.model.repository.redraw(this);
      }
      const content = this.version.valid ? await loadModelContentNodes(this, store, this.version) : [];
      return [...content, ...this.filesNode(store)];
    } catch (e) {
      return [new MessageNode(this, errorText(e), { kind: 'error' }), ...this.filesNode(await this.model.repository.openStore())];
    }
  }

  /** "Files" beside the signatures, unless tfServing.models.showFiles is off. */
  private filesNode(store: ModelStore): TreeNode[] {
    return readShowFiles() ? [new FilesFolderNode(this, store, this.version.location)] : [];
  }
}

/** A folder TF Serving skips (not an integer): shown dimmed so users see why it never loads. */
export class IgnoredFolderNode extends TreeNode {
  constructor(parent: TreeNode, readonly folder: string, private readonly reason: string) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder, vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'ignoredFolder';
    item.description = 'ignored by TF Serving';
    item.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    item.tooltip = this.reason;
    return item;
  }
}
