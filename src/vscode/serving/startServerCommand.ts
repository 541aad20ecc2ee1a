// "Start TF Serving…": a short multi-step pick (image, tag, ports, options) that becomes a ServingSpec, remembered
// per model. The spec goes through core's pure containerCreateBody, so "Copy as docker run" shows the same thing.
import * as vscode from 'vscode';
import * as path from 'path';
import { formatLocation } from '../../core/location';
import { containerCreateBody, maskCreateBody } from '../../core/serving/containerCreateBody';
import { dockerRunCommand } from '../../core/serving/dockerRunCommand';
import { DEFAULT_GRPC_PORT, DEFAULT_REST_PORT, type ServingSpec } from '../../core/serving/servingSpec';
import { resolveServingTarget, servingSpecFor } from '../../core/serving/servingTarget';
import { S3Mirror } from '../../core/serving/s3Mirror';
import type { RepositoryCredentials } from '../repositoryCredentials';
import { preflight } from '../../core/serving/servingPreflight';
import { nextFreePort } from '../../core/serving/portProbe';
import { errorText } from '../errorText';
import { imageTagProblem } from '../../core/names';
import { ModelNode } from '../model/modelNode';
import { VersionNode } from '../model/versionNode';
import type { ServingState } from './servingState';
import { COMMANDS } from '../contributions';
import { deviceQuestionPlaceholder } from './startQuestionText';
import type { Doctor } from '../doctor/doctor';

/** What the quick pick asks; remembered per model URI in workspace state. */
export interface StartChoices {
  device: 'cpu' | 'gpu';
  gpuMode?: 'device-request' | 'nvidia-runtime';
  imageTag: string;
  restPort: number;
  grpcPort: number;
  bindAddress: string;
  monitoring: boolean;
  batching: boolean;
  pollSeconds?: number;
  /** s3:// models: copy versions into a mounted folder (any image) or read s3:// from an image pinned to 2.6. */
  s3Mode?: 's3-mirror' | 's3-pinned';
}

export interface StartServerArgs {
  /** Skip the questions and use these (tests, other commands); missing fields take remembered or default values. */
  readonly choices?: Partial<StartChoices>;
  readonly containerName?: string;
  /** Instead of starting, return the masked docker run line. */
  readonly dryRun?: boolean;
  /** Serve exactly these versions (a `specific` version policy), e.g. an original and its conversion. */
  readonly versions?: readonly number[];
}

export function registerStartServerCommand(context: vscode.ExtensionContext, state: ServingState, credentials: RepositoryCredentials, doctor?: Pick<Doctor, 'startFailed'>): vscode.Disposable[] {
  const mirrors = new Map<string, S3Mirror>();
  const start = async (node?: ModelNode | VersionNode, args: StartServerArgs = {}) => {
    const target = node instanceof VersionNode ? node.model : node instanceof ModelNode ? node : undefined;
    if (!target) {
      void vscode.window.showInformationMessage('Pick a model or version in the Models view, then run "Start TF Serving…" from its menu.');
      return undefined;
    }
    const version = node instanceof VersionNode ? node.version : undefined;
    const modelUri = formatLocation(target.location);
    const memoryKey = `tfServing.start:${modelUri}`;
    const remembered = context.workspaceState.get<Partial<StartChoices>>(memoryKey, {});
    const base: StartChoices = {
      device: 'cpu', imageTag: 'latest', restPort: DEFAULT_REST_PORT, grpcPort: DEFAULT_GRPC_PORT, bindAddress: '127.0.0.1',
      monitoring: true, batching: false, pollSeconds: target.location.scheme === 'file' ? undefined : 120,
      ...remembered,
    };
    let choices = args.choices ? { ...base, ...args.choices } : await askChoices(base, target.location.scheme !== 'file', remembered);
    if (!choices) return undefined;
    if (target.location.scheme === 's3' && !choices.s3Mode) {
      const mode = await askS3Mode();
      if (!mode) return undefined;
      choices = { ...choices, s3Mode: mode };
    }
    await context.workspaceState.update(memoryKey, { ...choices, restPort: undefined, grpcPort: undefined });

    const repoOptions = target.repository.options;
    let spec: ServingSpec;
    let plan;
    try {
      // The keys (never printed) are needed only when the container reads the bucket itself.
      const keys = target.location.scheme === 's3' && choices.s3Mode === 's3-pinned' ? (await credentials.get(target.repository.location))?.s3 : undefined;
      const servingTarget = resolveServingTarget(target.location, {
        cwd: process.cwd(), env: process.env, s3Mode: choices.s3Mode === 's3-pinned' ? 'pinned' : 'mirror',
        repository: { region: repoOptions.region, endpoint: repoOptions.endpoint, keyFile: repoOptions.keyFile }, credentials: keys,
        version: version?.version, defaultVersion: target.servedByDefault(),
        format: (version ?? target.versions().find((v) => v.version === target.servedByDefault()))?.format,
      });
      spec = servingSpecFor(servingTarget, {
        ...choices, imageTag: servingTarget.source.kind === 's3-pinned' ? undefined : choices.imageTag,
        versions: args.versions, containerName: args.containerName,
      }, { configRoot: path.join(context.globalStorageUri.fsPath, 'servers'), mirrorRoot: path.join(context.globalStorageUri.fsPath, 'mirrors') });
      preflight(spec);
      plan = containerCreateBody(spec);
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot start ${target.name}: ${errorText(e)}`);
      return undefined;
    }
    const { modelName, source } = spec;
    const containerName = spec.containerName!;
    const line = dockerRunCommand(maskCreateBody(plan.create));
    if (args.dryRun) return line;
    if (source.kind === 's3-pinned' && source.endpoint && /^(127\.|localhost(:|$)|\[::1\])/.test(source.endpoint)) {
      void vscode.window.showWarningMessage(`${source.endpoint} is this machine's loopback address; inside the container it means the container itself. Use an address the container can reach, or mirror mode.`);
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting TF Serving for ${modelName}`, cancellable: false }, async (progress) => {
      try {
        const engine = await state.engine();
        if (source.kind === 's3-mirror') {
          // The first pass copies the version the server will load before the container starts; later passes
          // pick up new versions at the poll interval, each appearing atomically.
          progress.report({ message: `mirroring ${modelUri} into a local folder` });
          await mirrors.get(containerName)?.stop();
          const policy = spec.versions?.policy;
          const mirror = new S3Mirror(await target.repository.openStore(), target.location, source.mirrorDir, {
            versions: policy?.kind === 'specific' ? policy.versions : 'latest',
            onError: (e) => void vscode.window.showWarningMessage(`Mirroring ${modelUri} for ${containerName} failed: ${errorText(e)}`),
          });
          await mirror.start(choices.pollSeconds ?? 30);
          mirrors.set(containerName, mirror);
        }
        progress.report({ message: `creating ${containerName}` });
        const started = await engine.createAndStart(plan, {
          onPullProgress: (p) => progress.report({ message: `pulling ${plan.create.Image}: ${p.status}` }),
        });
        await state.reload();
        progress.report({ message: 'waiting for a version to become AVAILABLE' });
        const client = await state.clientFor(started.restUrl);
        await engine.waitUntilReady(started.id, () => client.isAvailable(modelName), 120_000);
        await state.reload();
        void vscode.window.showInformationMessage(`${modelName} is being served at ${started.restUrl}/v1/models/${modelName}`, 'Send Test Request').then((a) => {
          if (a) void vscode.commands.executeCommand(COMMANDS.sendTestRequest, undefined, { containerId: started.id });
        });
        return started;
      } catch (e) {
        await mirrors.get(containerName)?.stop();
        mirrors.delete(containerName);
        // A failure the doctor knows is shown with its fix (GPU without NVIDIA runtime: start again on the CPU).
        // A container that stopped at start is still there: the doctor reads it (and its log) on its own.
        const known = (e as { kind?: string }).kind === 'exited-at-start' ? undefined : await doctor?.startFailed(errorText(e), () => start(node, { ...args, choices: { ...choices, device: 'cpu', gpuMode: undefined } }));
        if (!known?.length) void vscode.window.showErrorMessage(`Could not start ${modelName}: ${errorText(e)}`);
        await state.reload();
        return undefined;
      }
    });
  };

  // A mirror lives as long as its container: stop it when the container goes away.
  const cleanup = state.onDidChange(() => {
    for (const [name, mirror] of mirrors) {
      if (!state.containers.some((c) => c.name === name)) {
        void mirror.stop();
        mirrors.delete(name);
      }
    }
  });

  return [
    cleanup,
    { dispose: () => { for (const m of mirrors.values()) void m.stop(); } },
    vscode.commands.registerCommand(COMMANDS.startServer, start),
    vscode.commands.registerCommand(COMMANDS.copyDockerRun, async (node?: ModelNode | VersionNode, args: StartServerArgs = {}) => {
      const line = await start(node, { ...args, dryRun: true });
      if (typeof line !== 'string') return undefined;
      try {
        await vscode.env.clipboard.writeText(line);
        void vscode.window.showInformationMessage('Copied the docker run command (credentials masked).');
      } catch {
        // Some web hosts refuse clipboard access; the command still returns the line and shows it.
        void vscode.window.showInformationMessage(line);
      }
      return line;
    }),
  ];
}

async function askS3Mode(): Promise<StartChoices['s3Mode']> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Mirror into a local folder', description: 'works with every image', detail: 'New versions are copied from the bucket into a folder the container mounts, each appearing at once (downloaded to a hidden folder, then renamed).', mode: 's3-mirror' as const },
      { label: 'Read s3:// directly with tensorflow/serving:2.6.0', description: 'the last image with S3 support', detail: 'Images from 2.7 on fail with "File system scheme \'s3\' not implemented". The keys are passed to the container, never printed.', mode: 's3-pinned' as const },
    ],
    { title: 'Serving from S3', placeHolder: 'Stock TF Serving images from 2.7 on cannot read s3:// paths' },
  );
  return pick?.mode;
}

async function askChoices(base: StartChoices, fromBucket: boolean, remembered: Partial<StartChoices>): Promise<StartChoices | undefined> {
  const device = await vscode.window.showQuickPick(
    [
      { label: 'CPU', description: 'tensorflow/serving:<tag>', device: 'cpu' as const },
      { label: 'GPU', description: 'tensorflow/serving:<tag>-gpu, all GPUs (what --gpus all does)', device: 'gpu' as const, gpuMode: 'device-request' as const },
      { label: 'GPU (nvidia runtime)', description: 'for daemons configured with the older nvidia runtime', device: 'gpu' as const, gpuMode: 'nvidia-runtime' as const },
    ].map((p) => ({ ...p, picked: p.device === base.device && (p.gpuMode ?? undefined) === (base.gpuMode ?? (p.device === 'gpu' ? 'device-request' : undefined)) })),
    { title: 'Start TF Serving (1/4): image', placeHolder: deviceQuestionPlaceholder(remembered) },
  );
  if (!device) return undefined;
  const imageTag = await vscode.window.showInputBox({
    title: 'Start TF Serving (2/4): image tag',
    value: base.imageTag,
    prompt: device.device === 'gpu' ? 'Tag without -gpu (added for you). TF-TRT models need 2.17.0 or older.' : 'e.g. latest, 2.17.0',
    validateInput: imageTagProblem,
  });
  if (!imageTag) return undefined;
  const freeRest = (await nextFreePort(base.restPort)) ?? base.restPort;
  const restText = await vscode.window.showInputBox({
    title: 'Start TF Serving (3/4): REST port on 127.0.0.1 (gRPC on the next free port)',
    value: String(freeRest),
    prompt: freeRest !== base.restPort ? `${base.restPort} is taken; ${freeRest} is free.` : 'Bound to 127.0.0.1 only, so nobody else on your network can reach it.',
    validateInput: (v) => (/^\d+$/.test(v) && +v > 0 && +v < 65536 ? undefined : 'A port between 1 and 65535.'),
  });
  if (!restText) return undefined;
  const restPort = Number(restText);
  const grpcPort = (await nextFreePort(restPort === base.grpcPort ? base.grpcPort + 2 : base.grpcPort, '127.0.0.1', new Set([restPort]))) ?? restPort + 1;
  const options = await vscode.window.showQuickPick(
    [
      { label: 'Monitoring', description: 'Prometheus metrics at /monitoring/prometheus/metrics', id: 'monitoring', picked: base.monitoring },
      { label: 'Batching', description: '--enable_batching with a batching parameters file', id: 'batching', picked: base.batching },
      { label: 'Poll every 120 s', description: fromBucket ? 'recommended for buckets: every poll lists the bucket' : 'default is 1 s', id: 'poll', picked: base.pollSeconds === 120 },
      { label: 'Publish on all interfaces (0.0.0.0)', description: 'exposes the server to your whole network', id: 'public', picked: base.bindAddress === '0.0.0.0' },
    ],
    { title: 'Start TF Serving (4/4): options', canPickMany: true },
  );
  if (!options) return undefined;
  const on = new Set(options.map((o) => o.id));
  return {
    device: device.device, gpuMode: device.gpuMode, imageTag, restPort, grpcPort,
    bindAddress: on.has('public') ? '0.0.0.0' : '127.0.0.1',
    monitoring: on.has('monitoring'), batching: on.has('batching'), pollSeconds: on.has('poll') ? 120 : undefined,
  };
}
