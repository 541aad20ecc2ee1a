// A diagnosis in the Serving view, under the container it is about: the cause, the fix, TF Serving's own line and
// (when there is one) the corrected request as children; `diagnosis.fixable` puts "Apply Fix" on it.
import * as vscode from 'vscode';
import type { Diagnosis } from '../../core/doctor/diagnosis';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import { MessageNode, TreeNode } from '../trees/treeNode';

export class DiagnosisNode extends TreeNode {
  constructor(parent: TreeNode, readonly container: ServingContainer, readonly diagnosis: Diagnosis) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.diagnosis;
    const item = new vscode.TreeItem(d.title, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `diagnosis:${this.container.id}:${d.id}:${d.title}`;
    item.contextValue = d.action ? 'diagnosis.fixable' : 'diagnosis';
    item.description = d.action ? `fix: ${d.action.label}` : d.id;
    item.iconPath = new vscode.ThemeIcon(d.action ? 'lightbulb-autofix' : 'error', new vscode.ThemeColor('errorForeground'));
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${d.title}**\n\n${d.cause}\n\n**Fix:** ${d.fix}\n\n`);
    md.appendCodeblock(d.evidence, 'log');
    item.tooltip = md;
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    const d = this.diagnosis;
    const line = (text: string, kind: 'info' | 'warning' = 'info', contextValue = 'diagnosis.detail') => new MessageNode(this, text, { kind, contextValue });
    return [
      line(`Cause: ${d.cause}`),
      line(`Fix: ${d.fix}`, 'warning'),
      line(`TF Serving said: ${d.evidence}`),
      ...(d.correctedRequest !== undefined ? [line(`Corrected request: ${JSON.stringify(d.correctedRequest)}`, 'info', 'diagnosis.correctedRequest')] : []),
    ];
  }
}
