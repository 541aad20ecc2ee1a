// "Generate Kubernetes Manifests…" on a bucket model (Models view) or a container the extension started (Serving
// view, reusing its model, image tag, monitoring path and labels). Writes into the workspace, never overwriting
// a file without asking, and opens the result.
import * as path from 'path';
import * as vscode from 'vscode';
import { formatLocation } from '../../core/location';
import type { ManifestServiceType } from '../../core/k8s/manifestGenerator';
import type { ManifestInput } from '../../core/k8s/manifestInput';
import { errorText } from '../errorText';
import { ModelNode } from '../model/modelNode';
import { ContainerNode } from '../serving/servingTreeProvider';
import { LABELS } from '../../core/serving/containerCreateBody';
import { COMMANDS } from '../contributions';

export interface GenerateManifestsArgs {
  /** Instead of a node: the model's gs:// or s3:// URI. */
  readonly modelUri?: string;
  readonly modelName?: string;
  /** Given fields are not asked. */
  readonly replicas?: number;
  readonly serviceType?: ManifestServiceType;
  readonly gpu?: boolean;
  readonly hpa?: boolean;
  readonly pdb?: boolean;
  readonly imageTag?: string;
  /** File name relative to the first workspace folder (default k8s/<app>.yaml). */
  readonly file?: string;
  /** When the file exists: true overwrites, false writes beside it (<name>-2.yaml); undefined asks. */
  readonly overwrite?: boolean;
}

export interface GenerateManifestsResult { readonly file: string; readonly secrets: readonly { name: string; command: string }[] }

async function baseFrom(node: unknown, args: GenerateManifestsArgs): Promise<ManifestInput | undefined> {
  const { manifestInput, manifestInputFromServed } = await import('../../core/k8s/manifestInput');
  if (node instanceof ModelNode) {
    return manifestInput(formatLocation(node.location), { region: node.repository.options.region });
  }
  if (node instanceof ContainerNode) {
    const c = node.container;
    if (!c.modelName || !c.sourceUri) throw new Error(`${c.name} was not started by TF Serving Studio; its model source is unknown.`);
    const { readLabelState } = await import('../../core/serving/versionLabels');
    const configDir = c.labels[LABELS.configDir];
    return manifestInputFromServed({ sourceUri: c.sourceUri, modelName: c.modelName, imageTag: c.imageTag, monitoringPath: c.monitoringPath, labels: configDir ? readLabelState(configDir) : undefined });
  }
  if (args.modelUri) return manifestInput(args.modelUri, { modelName: args.modelName });
  return undefined;
}

async function pick<T>(items: (vscode.QuickPickItem & { v: T })[], title: string): Promise<T | undefined> {
  return (await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true }))?.v;
}

async function askOptions(args: GenerateManifestsArgs): Promise<Required<Pick<GenerateManifestsArgs, 'replicas' | 'serviceType' | 'gpu' | 'hpa' | 'pdb'>> | undefined> {
  let replicas = args.replicas;
  if (replicas === undefined) {
    const text = await vscode.window.showInputBox({ title: 'Replicas', value: '2', ignoreFocusOut: true, validateInput: (v) => (/^[1-9]\d{0,2}$/.test(v) ? undefined : 'A whole number from 1 to 999') });
    if (text === undefined) return undefined;
    replicas = Number(text);
  }
  const serviceType = args.serviceType ?? await pick<ManifestServiceType>([
    { label: 'ClusterIP', description: 'reachable inside the cluster', v: 'ClusterIP' },
    { label: 'NodePort', description: 'a port on every node', v: 'NodePort' },
    { label: 'LoadBalancer', description: "the cloud's load balancer", v: 'LoadBalancer' },
  ], 'Service type');
  if (!serviceType) return undefined;
  const gpu = args.gpu ?? await pick([{ label: 'CPU', description: 'tensorflow/serving:<tag>', v: false }, { label: 'GPU', description: 'tensorflow/serving:<tag>-gpu with nvidia.com/gpu: 1', v: true }], 'Device');
  if (gpu === undefined) return undefined;
  let { hpa, pdb } = args;
  if (hpa === undefined || pdb === undefined) {
    const extra = await vscode.window.showQuickPick([
      { label: 'HorizontalPodAutoscaler', description: 'scale on CPU (70 %)', id: 'hpa', picked: hpa ?? false },
      { label: 'PodDisruptionBudget', description: 'at most one pod down during node drains', id: 'pdb', picked: pdb ?? true },
    ], { title: 'Also generate', canPickMany: true, ignoreFocusOut: true });
    if (!extra) return undefined;
    hpa ??= extra.some((e) => e.id === 'hpa');
    pdb ??= extra.some((e) => e.id === 'pdb');
  }
  return { replicas, serviceType, gpu, hpa, pdb };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

async function besideName(uri: vscode.Uri): Promise<vscode.Uri> {
  const ext = path.posix.extname(uri.path);
  const stem = uri.path.slice(0, uri.path.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = uri.with({ path: `${stem}-${n}${ext}` });
    if (!(await exists(candidate))) return candidate;
  }
}

export function registerGenerateManifestsCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.generateManifests, async (node?: unknown, args: GenerateManifestsArgs = {}): Promise<GenerateManifestsResult | undefined> => {
    try {
      const base = await baseFrom(node, args);
      if (!base) {
        void vscode.window.showInformationMessage('Run "Generate Kubernetes Manifests…" on a gs:// or s3:// model in the Models view, or on a running server in the Serving view.');
        return undefined;
      }
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void vscode.window.showErrorMessage('Open a folder first: the manifests are written into the workspace.');
        return undefined;
      }
      const chosen = await askOptions(args);
      if (!chosen) return undefined;
      const { generateManifests } = await import('../../core/k8s/manifestGenerator');
      const g = generateManifests({ ...base, imageTag: args.imageTag ?? base.imageTag, replicas: chosen.replicas, serviceType: chosen.serviceType, device: chosen.gpu ? 'gpu' : 'cpu', hpa: chosen.hpa, pdb: chosen.pdb });
      let target = vscode.Uri.joinPath(folder.uri, args.file ?? `k8s/${g.appName}.yaml`);
      if (await exists(target)) {
        let overwrite = args.overwrite;
        if (overwrite === undefined) {
          const answer = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(target)} exists.`, { modal: true }, 'Overwrite', 'Write Beside It');
          if (!answer) return undefined;
          overwrite = answer === 'Overwrite';
        }
        if (!overwrite) target = await besideName(target);
      }
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
      await vscode.workspace.fs.writeFile(target, Buffer.from(g.yaml, 'utf8'));
      await vscode.window.showTextDocument(target, { preview: false });
      if (g.secrets.length) {
        const commands = g.secrets.map((s) => s.command).join('\n');
        void vscode.window.showInformationMessage(`Create the Secret before applying: ${commands}`, 'Copy Command').then(async (a) => {
          if (a) await vscode.env.clipboard.writeText(commands).then(undefined, () => undefined);
        });
      }
      return { file: target.fsPath, secrets: g.secrets };
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not generate manifests: ${errorText(e)}`);
      return undefined;
    }
  });
}
