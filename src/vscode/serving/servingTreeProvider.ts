// The Serving view: tensorflow/serving containers on the Docker engine, their models and versions' states.
import * as vscode from 'vscode';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import { MessageNode, TreeNode } from '../trees/treeNode';
import type { ServingState } from './servingState';
import { errorText } from '../errorText';
import { COMMANDS } from '../contributions';

const STATE_ICONS: Record<string, [string, string?]> = {
  running: ['vm-running', 'testing.iconPassed'],
  exited: ['vm-outline', 'disabledForeground'],
  created: ['vm-outline'],
  paused: ['debug-pause'],
  restarting: ['sync~spin'],
  dead: ['error', 'errorForeground'],
};

const VERSION_ICONS: Record<string, [string, string?]> = {
  AVAILABLE: ['pass-filled', 'testing.iconPassed'],
  LOADING: ['loading~spin'],
  START: ['loading~spin'],
  UNLOADING: ['sync~spin'],
  END: ['circle-slash', 'disabledForeground'],
};

function themeIcon([id, color]: [string, string?]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** Extra children under a server, contributed by another feature (the monitor adds its Prometheus). */
export interface ContainerChildren {
  children(node: ContainerNode): TreeNode[];
  readonly onDidChange: vscode.Event<void>;
}

/** Nodes shown first under a server: the doctor's diagnoses of it. */
export interface ContainerDiagnoses {
  children(node: ContainerNode): TreeNode[];
  readonly onDidChange: vscode.Event<void>;
}

export class ServingTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private extra?: ContainerChildren;
  private diagnoses?: ContainerDiagnoses;

  constructor(readonly state: ServingState) {
    this.subscription = state.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren();
    if (!this.state.watching) await this.state.reload();
    if (this.state.engineError) return [new MessageNode(undefined, this.state.engineError, { kind: 'error', contextValue: 'message.dockerUnreachable' })];
    // Empty: the welcome view offers "Start TF Serving…".
    return this.state.containers.map((c) => new ContainerNode(this.state, c, this.extra, this.diagnoses));
  }

  setContainerChildren(extra: ContainerChildren): vscode.Disposable {
    this.extra = extra;
    return extra.onDidChange(() => this.changed.fire(undefined));
  }

  setDiagnoses(diagnoses: ContainerDiagnoses): vscode.Disposable {
    this.diagnoses = diagnoses;
    return diagnoses.onDidChange(() => this.changed.fire(undefined));
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export class ContainerNode extends TreeNode {
  constructor(private readonly state: ServingState, readonly container: ServingContainer, private readonly extra?: ContainerChildren, private readonly diagnoses?: ContainerDiagnoses) {
    super(undefined);
  }

  get restUrl(): string | undefined {
    return this.container.restUrl;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.container;
    const running = c.state === 'running';
    const problems = this.diagnoses?.children(this).length ?? 0;
    const item = new vscode.TreeItem(c.name, running || problems ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `container:${c.id}`;
    const grpc = this.state.protocolOf(c) === 'grpc';
    // ".grpc" marks a server asked over gRPC (menus offer "Use REST" there, "Use gRPC" elsewhere).
    item.contextValue = `container.${running ? 'running' : 'stopped'}.${c.ours ? 'ours' : 'other'}${grpc ? '.grpc' : ''}${c.monitoringPath ? '.monitored' : ''}`;
    const ports = c.ports.filter((p) => p.hostPort).map((p) => `${p.hostIp && p.hostIp !== '0.0.0.0' ? p.hostIp : '*'}:${p.hostPort}→${p.containerPort}`);
    const grpcPort = c.grpcAddress?.slice(c.grpcAddress.lastIndexOf(':') + 1);
    item.description = [c.state, c.imageTag, c.restPort ? `REST :${c.restPort}` : undefined, grpcPort ? `gRPC :${grpcPort}` : undefined, running && grpc ? 'via gRPC' : undefined,
      problems ? `${problems} problem${problems > 1 ? 's' : ''}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = themeIcon(STATE_ICONS[c.state] ?? ['vm']);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${c.name}** — ${c.status}\n\n`);
    md.appendMarkdown(`Image \`${c.image}\`${c.ours ? '' : ' (not started by TF Serving Studio)'}\n\n`);
    if (c.modelName) md.appendMarkdown(`Model \`${c.modelName}\`${c.sourceUri ? ` from \`${c.sourceUri}\`` : ''}\n\n`);
    if (ports.length) md.appendMarkdown(`Ports ${ports.map((p) => `\`${p}\``).join(', ')}\n\n`);
    md.appendMarkdown(`Requests and model state over ${grpc ? `gRPC (\`${c.grpcAddress}\`)` : 'REST'}\n\n`);
    if (c.ports.some((p) => p.hostPort && (!p.hostIp || p.hostIp === '0.0.0.0' || p.hostIp === '::'))) {
      md.appendMarkdown('$(warning) Published on every network interface: anyone on your network can reach this server.\n\n');
    }
    md.supportThemeIcons = true;
    item.tooltip = md;
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    const c = this.container;
    const diagnoses = this.diagnoses?.children(this) ?? [];
    if (c.state !== 'running') return [...diagnoses, new MessageNode(this, `Not running (${c.status})`, { kind: 'info' })];
    const nodes: TreeNode[] = [...diagnoses];
    if (c.modelName) nodes.push(new ServedModelNode(this, this.state, c, c.modelName));
    else nodes.push(new MessageNode(this, 'Model name unknown: started outside TF Serving Studio', { kind: 'info' }));
    if (this.restUrl) {
      nodes.push(new LinkNode(this, 'REST API', `${this.restUrl}/v1/models/${c.modelName ?? ''}`, 'globe', 'link.rest'));
      if (c.monitoringPath) nodes.push(new LinkNode(this, 'Metrics', `${this.restUrl}${c.monitoringPath}`, 'graph-line', 'link.metrics'));
      else if (c.ours) nodes.push(new MessageNode(this, 'No metrics: started without a monitoring config', { kind: 'info', tooltip: 'Restart the server with monitoring on to expose Prometheus metrics.' }));
    }
    nodes.push(...(this.extra?.children(this) ?? []));
    if (c.sourceUri && c.source) nodes.push(new LinkNode(this, 'Model repository', c.sourceUri, 'folder-library', 'link.source', { command: COMMANDS.revealServedModel, title: 'Reveal in Models view', arguments: [c.source] }));
    return nodes;
  }
}

export class ServedModelNode extends TreeNode {
  constructor(parent: TreeNode, private readonly state: ServingState, readonly container: ServingContainer, readonly modelName: string) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.state.statuses.get(this.container.id);
    const item = new vscode.TreeItem(this.modelName, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `served:${this.container.id}:${this.modelName}`;
    item.contextValue = 'servedModel';
    item.iconPath = new vscode.ThemeIcon('package');
    const available = s?.versions?.filter((v) => v.state === 'AVAILABLE').map((v) => v.version) ?? [];
    const over = s?.protocol === 'grpc' ? ' (gRPC)' : '';
    item.description = (s?.error ? 'not answering yet' : available.length ? `serving ${available.join(', ')}` : s?.versions ? 'no version available' : '') + (s ? over : '');
    item.tooltip = s?.error ?? undefined;
    return item;
  }

  // Children follow the live status, so they are rebuilt on every expand/refresh instead of cached.
  override getChildren(): Promise<TreeNode[]> {
    const s = this.state.statuses.get(this.container.id);
    if (s?.error) return Promise.resolve([new MessageNode(this, s.error, { kind: 'error' })]);
    if (!s?.versions) return Promise.resolve([new MessageNode(this, 'Asking the server…', { kind: 'info' })]);
    return Promise.resolve(s.versions
      .slice()
      .sort((a, b) => Number(b.version) - Number(a.version))
      .map((v) => new ServedVersionNode(this, this.state, this.container, this.modelName, v.version, v.state, v.status?.error_message)));
  }
}

export class ServedVersionNode extends TreeNode {
  constructor(parent: TreeNode, private readonly state: ServingState, readonly container: ServingContainer, readonly modelName: string, readonly version: string, readonly versionState: string, private readonly error?: string) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    // An AVAILABLE version expands to the signatures the server itself reports (/metadata).
    const item = new vscode.TreeItem(`version ${this.version}`, this.versionState === 'AVAILABLE' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.contextValue = `servedVersion.${this.versionState}`;
    item.description = this.error ? `${this.versionState} · ${this.error}` : this.versionState;
    item.iconPath = this.error ? themeIcon(['error', 'errorForeground']) : themeIcon(VERSION_ICONS[this.versionState] ?? ['circle-outline']);
    item.tooltip = this.error ? `${this.versionState}: ${this.error}` : this.versionState;
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    const client = this.versionState === 'AVAILABLE' ? await this.state.clientOf(this.container, 5000) : undefined;
    if (!client) return [];
    try {
      const meta = await client.metadata(this.modelName, { version: Number(this.version) });
      const sigs = Object.entries(meta.value.metadata.signature_def.signature_def as Record<string, ServedSignatureJson>).filter(([k]) => !k.startsWith('__'));
      if (!sigs.length) return [new MessageNode(this, 'The server reports no signatures', { kind: 'empty' })];
      return sigs.sort(([a], [b]) => (a === 'serving_default' ? -1 : b === 'serving_default' ? 1 : a.localeCompare(b))).map(([key, sig]) => new ServedSignatureNode(this, key, sig));
    } catch (e) {
      return [new MessageNode(this, `Signatures: ${errorText(e)}`, { kind: 'error' })];
    }
  }
}

/** A signature as TF Serving's REST metadata prints it. */
interface ServedTensorJson {
  readonly dtype?: string;
  readonly name?: string;
  readonly tensor_shape?: { readonly dim?: { readonly size: string }[]; readonly unknown_rank?: boolean };
}
interface ServedSignatureJson {
  readonly inputs?: Record<string, ServedTensorJson>;
  readonly outputs?: Record<string, ServedTensorJson>;
  readonly method_name?: string;
}

export class ServedSignatureNode extends TreeNode {
  constructor(parent: TreeNode, readonly key: string, private readonly sig: ServedSignatureJson) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.sig.method_name;
    item.iconPath = new vscode.ThemeIcon('symbol-method');
    item.contextValue = 'servedSignature';
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    const describe = (t: ServedTensorJson) => {
      const shape = !t.tensor_shape ? 'no shape' : t.tensor_shape.unknown_rank ? 'unknown rank' : `[${(t.tensor_shape.dim ?? []).map((d) => d.size).join(',')}]`;
      return [`${t.dtype ?? '?'} ${shape}`, t.name].filter(Boolean).join(' · ');
    };
    const leaf = (key: string, t: ServedTensorJson, dir: 'input' | 'output') => new MessageNode(this, `${key}: ${dir} · ${describe(t)}`, { kind: 'info', contextValue: `servedTensor.${dir}` });
    return [
      ...Object.entries(this.sig.inputs ?? {}).map(([k, t]) => leaf(k, t, 'input')),
      ...Object.entries(this.sig.outputs ?? {}).map(([k, t]) => leaf(k, t, 'output')),
    ];
  }
}

export class LinkNode extends TreeNode {
  constructor(parent: TreeNode, private readonly label: string, readonly url: string, private readonly icon: string, private readonly context: string, private readonly command?: vscode.Command) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.url;
    item.tooltip = this.url;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.context;
    item.command = this.command ?? { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(this.url)] };
    return item;
  }
}
