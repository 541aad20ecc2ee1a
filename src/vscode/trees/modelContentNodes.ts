// What is inside a version: tag-sets and signatures of a SavedModel, or tensors, operators and signatures of a
// TFLite model, decoded by core from the model file's bytes (no Python).
import * as vscode from 'vscode';
import type { ModelVersion } from '../../core/model/modelRepository';
import type { ModelStore } from '../../core/storage/modelStore';
import type { NamedTensorInfo, SignatureDef } from '../../core/model/savedModelDecoder';
import type { TfliteModel, TfliteTensor } from '../../core/model/tfliteDecoder';
import { inspectVersion } from '../../core/model/modelInspector';
import { storeVersionSource } from '../../core/model/storeVersionSource';
import { dataTypeJson } from '../../core/model/tensorflowDataTypes';
import { TreeNode } from './treeNode';

export async function loadModelContentNodes(parent: TreeNode, store: ModelStore, version: ModelVersion): Promise<TreeNode[]> {
  const summary = await inspectVersion(storeVersionSource(store, version.location));
  if (summary.format === 'tflite') return tfliteNodes(parent, summary.tflite);
  const model = summary.savedModel;
  if (model.metaGraphs.length === 1) {
    const mg = model.metaGraphs[0];
    return [new GroupNode(parent, `Tag-set: ${mg.tags.join(', ') || '(none)'}`, 'tag', mg.tensorflowVersion ? `TensorFlow ${mg.tensorflowVersion}` : undefined, (p) => mg.signatures.map((s) => new SignatureNode(p, s)), 'tagSet', vscode.TreeItemCollapsibleState.Expanded)];
  }
  return model.metaGraphs.map((mg) => new GroupNode(parent, `Tag-set: ${mg.tags.join(', ') || '(none)'}`, 'tag', `${mg.signatures.length} signatures`, (p) => mg.signatures.map((s) => new SignatureNode(p, s)), 'tagSet'));
}

function tfliteNodes(parent: TreeNode, model: TfliteModel): TreeNode[] {
  const main = model.subgraphs[0];
  const nodes: TreeNode[] = [];
  if (model.servingSignatures?.length) {
    nodes.push(new GroupNode(parent, 'Signatures', 'symbol-interface', 'TF Serving signature defs', (p) => model.servingSignatures!.map((s) => new SignatureNode(p, s)), 'signatures'));
  } else if (model.signatures.length) {
    nodes.push(new GroupNode(parent, 'Signatures', 'symbol-interface', `${model.signatures.length}`, (p) => model.signatures.map((s) => {
      const sg = model.subgraphs[s.subgraphIndex];
      return new GroupNode(p, s.key, 'symbol-method', `subgraph ${s.subgraphIndex}`, (q) => [
        ...s.inputs.map((t) => new TfliteTensorNode(q, sg.tensors[t.tensorIndex], `input ${t.name}`)),
        ...s.outputs.map((t) => new TfliteTensorNode(q, sg.tensors[t.tensorIndex], `output ${t.name}`)),
      ], 'signature');
    }), 'signatures'));
  }
  if (main) {
    nodes.push(new GroupNode(parent, 'Inputs', 'arrow-right', `${main.inputs.length}`, (p) => main.inputs.map((i) => new TfliteTensorNode(p, main.tensors[i])), 'tensors', vscode.TreeItemCollapsibleState.Expanded));
    nodes.push(new GroupNode(parent, 'Outputs', 'arrow-left', `${main.outputs.length}`, (p) => main.outputs.map((i) => new TfliteTensorNode(p, main.tensors[i])), 'tensors', vscode.TreeItemCollapsibleState.Expanded));
    nodes.push(new GroupNode(parent, 'Tensors', 'symbol-array', `${main.tensors.length}`, (p) => main.tensors.map((t) => new TfliteTensorNode(p, t)), 'tensors'));
  }
  const ops = Object.entries(model.operatorHistogram).sort((a, b) => b[1] - a[1]);
  nodes.push(new GroupNode(parent, 'Operators', 'symbol-operator', `${ops.reduce((s, [, n]) => s + n, 0)}`, (p) => ops.map(([name, n]) => new LeafNode(p, name, `× ${n}`, 'symbol-operator', 'operator')), 'operators'));
  return nodes;
}

class GroupNode extends TreeNode {
  constructor(parent: TreeNode, private readonly label: string, private readonly icon: string, private readonly description: string | undefined, private readonly children: (self: TreeNode) => TreeNode[], private readonly context: string, private readonly state = vscode.TreeItemCollapsibleState.Collapsed) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, this.state);
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.context;
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    return this.children(this);
  }
}

class LeafNode extends TreeNode {
  constructor(parent: TreeNode, private readonly label: string, private readonly description: string, private readonly icon: string, private readonly context: string, private readonly tooltip?: string) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.context;
    item.tooltip = this.tooltip ?? `${this.label} ${this.description}`;
    return item;
  }
}

export class SignatureNode extends TreeNode {
  constructor(parent: TreeNode, readonly signature: SignatureDef) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.signature.key, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.signature.methodName;
    item.iconPath = new vscode.ThemeIcon('symbol-method');
    item.contextValue = 'signature';
    item.tooltip = `${this.signature.key}\n${this.signature.methodName}\n${this.signature.inputs.length} inputs, ${this.signature.outputs.length} outputs`;
    return item;
  }

  protected override async loadChildren(): Promise<TreeNode[]> {
    const tensor = (t: NamedTensorInfo, dir: 'input' | 'output') =>
      new LeafNode(this, t.key, `${dir} · ${describeTensorInfo(t)}`, dir === 'input' ? 'arrow-right' : 'arrow-left', `tensor.${dir}`);
    return [...this.signature.inputs.map((t) => tensor(t, 'input')), ...this.signature.outputs.map((t) => tensor(t, 'output'))];
  }
}

/** "DT_FLOAT [-1,1] · x:0": dtype, shape (-1 unknown, "?" unknown rank) and the graph tensor name. */
export function describeTensorInfo(t: NamedTensorInfo): string {
  const shape = !t.shape ? 'no shape' : t.shape.unknownRank ? 'unknown rank' : `[${t.shape.dims.map((d) => d.size).join(',')}]`;
  const name = t.encoding.kind === 'name' ? t.encoding.name : t.encoding.kind === 'cooSparse' ? `sparse ${t.encoding.valuesTensorName}` : t.encoding.kind === 'compositeTensor' ? 'composite tensor' : '';
  return [`${dataTypeJson(t.dtype)} ${shape}`, name].filter(Boolean).join(' · ');
}

class TfliteTensorNode extends LeafNode {
  constructor(parent: TreeNode, t: TfliteTensor, prefix?: string) {
    const shape = `[${(t.shapeSignature ?? t.shape).join(',')}]`;
    const q = t.quantization?.scale.length ? ` · scale ${t.quantization.scale.length === 1 ? t.quantization.scale[0].toPrecision(4) : `×${t.quantization.scale.length}`} zero ${t.quantization.zeroPoint.length === 1 ? t.quantization.zeroPoint[0] : `×${t.quantization.zeroPoint.length}`}` : '';
    super(parent, prefix ? `${prefix} → ${t.name}` : t.name, `${t.typeName} ${shape}${q}`, 'symbol-variable', 'tfliteTensor', `${t.name}\n${t.typeName} ${shape}${t.bufferBytes ? `\n${t.bufferBytes} bytes of weights` : ''}${q}`);
  }
}
