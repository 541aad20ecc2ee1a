// The Prometheus child of a server in the Serving view: its state, its UI link, "Open Prometheus UI" on click.
import * as vscode from 'vscode';
import { TreeNode } from '../trees/treeNode';
import type { PrometheusInstance, PrometheusInstances } from './prometheusInstances';
import type { ContainerChildren, ContainerNode } from '../serving/servingTreeProvider';
import { COMMANDS } from '../contributions';

export class PrometheusNode extends TreeNode {
  constructor(parent: TreeNode, readonly instance: PrometheusInstance) {
    super(parent);
  }

  get url(): string | undefined {
    return this.instance.url;
  }

  getTreeItem(): vscode.TreeItem {
    const p = this.instance;
    const running = p.state === 'running';
    const item = new vscode.TreeItem('Prometheus', vscode.TreeItemCollapsibleState.None);
    item.id = `prometheus:${p.id}`;
    item.contextValue = `prometheus.${running ? 'running' : 'stopped'}`;
    item.description = [p.state, p.url].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('pulse', running ? new vscode.ThemeColor('testing.iconPassed') : new vscode.ThemeColor('disabledForeground'));
    item.tooltip = `${p.name} — ${p.status}${p.url ? `\n${p.url}` : ''}`;
    if (running && p.url) item.command = { command: COMMANDS.openPrometheusUi, title: 'Open Prometheus UI', arguments: [this] };
    return item;
  }
}

/** The Serving view's hook: a server's Prometheus node, when one of ours scrapes it. */
export function prometheusChildren(instances: PrometheusInstances): ContainerChildren {
  return {
    onDidChange: instances.onDidChange,
    children: (node: ContainerNode) => {
      const p = instances.of(node.container.name);
      return p ? [new PrometheusNode(node, p)] : [];
    },
  };
}
