// "Load Test…" on a running server in the Serving view, and "Compare Load Test Runs…". The choices (requests,
// mode, length) only fill LoadTestOptions; core decides what they mean (loadTestPlan) and runs the test. A progress
// notification and the panel's Cancel both stop it at once.
import * as vscode from 'vscode';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import type { LoadTestOptions } from '../../core/loadtest/loadTestPlan';
import type { LoadTestRun } from '../../core/loadtest/loadTestReport';
import type { RequestSet } from '../../core/loadtest/requestSource';
import { grpcAddressUrl, publishedGrpcAddress, remoteTargetWarning, type LoadTestTarget } from '../../core/loadtest/loadTestTarget';
import { errorText } from '../errorText';
import type { ServingState } from '../serving/servingState';
import { ContainerNode } from '../serving/servingTreeProvider';
import { COMMANDS } from '../contributions';
import { exportRun, LoadTestPanel, type DrawnTables } from './loadTestPanel';

export interface LoadTestArgs {
  readonly containerId?: string;
  readonly options?: LoadTestOptions;
  /** A predict body to send instead of generated requests. */
  readonly body?: unknown;
  readonly signature?: string;
  readonly batch?: number;
  /** REST (default when called with options) or gRPC on the container's published gRPC port. */
  readonly protocol?: 'rest' | 'grpc';
  /** Tests: write the exports without a dialog. */
  readonly exportTo?: { readonly json?: string; readonly csv?: string };
}

export interface LoadTestResult {
  readonly run: LoadTestRun;
  /** What the panel drew from it. */
  readonly drawn?: DrawnTables;
}

export function registerLoadTestCommands(context: vscode.ExtensionContext, state: ServingState): vscode.Disposable[] {
  const panels = new Set<LoadTestPanel>();
  const track = (p: LoadTestPanel) => { panels.add(p); p.panel.onDidDispose(() => panels.delete(p)); return p; };

  const loadTest = async (node?: ContainerNode, args: LoadTestArgs = {}): Promise<LoadTestResult | undefined> => {
    const containers = state.containers.length ? state.containers : await state.reload();
    const running = containers.filter((c) => c.state === 'running' && c.restUrl && c.modelName);
    const c: ServingContainer | undefined = node instanceof ContainerNode ? node.container
      : args.containerId ? running.find((x) => x.id === args.containerId || x.name === args.containerId)
      : running.length === 1 ? running[0]
      : (await vscode.window.showQuickPick(running.map((x) => ({ label: x.name, description: x.modelName, x })), { title: 'Load test which server?' }))?.x;
    if (!c?.restUrl || !c.modelName) {
      if (!running.length) void vscode.window.showInformationMessage('No running TF Serving server with a known model; start one from the Models view.');
      return undefined;
    }
    const grpcAddress = publishedGrpcAddress(c.ports);
    const protocol = args.protocol ?? (args.options || !grpcAddress ? 'rest' : (await vscode.window.showQuickPick([
      { label: 'REST', description: `${c.restUrl} (JSON over HTTP/1.1)`, p: 'rest' as const },
      { label: 'gRPC', description: `${grpcAddress} (PredictionService/Predict)`, p: 'grpc' as const },
    ], { title: `Load test ${c.name} over` }))?.p);
    if (!protocol) return undefined;
    if (protocol === 'grpc' && !grpcAddress) {
      void vscode.window.showErrorMessage(`${c.name} publishes no gRPC port (8500); load-test it over REST, or start it with a gRPC port.`);
      return undefined;
    }
    const target: LoadTestTarget = {
      restUrl: c.restUrl, model: c.modelName, ...(c.monitoringPath ? { metricsPath: c.monitoringPath } : {}),
      ...(protocol === 'grpc' && grpcAddress ? { grpcAddress } : {}),
    };
    const warning = remoteTargetWarning(target.restUrl) ?? (target.grpcAddress ? remoteTargetWarning(grpcAddressUrl(target.grpcAddress)) : undefined);
    if (warning && (await vscode.window.showWarningMessage(warning, { modal: true }, 'Run Load Test')) !== 'Run Load Test') return undefined;

    const source = await import('../../core/loadtest/requestSource');
    const { loadTestPlan } = await import('../../core/loadtest/loadTestPlan');
    let requests: RequestSet;
    let options: LoadTestOptions;
    try {
      const picked = args.body !== undefined ? source.requestsFromBody(JSON.stringify(args.body), 'the given body') : await chooseRequests(target, args, source);
      if (!picked) return undefined;
      requests = picked;
      const o = args.options ?? await chooseOptions();
      if (!o) return undefined;
      options = o;
      loadTestPlan(options); // wrong options say so before anything is sent
    } catch (e) {
      void vscode.window.showErrorMessage(`Load Test of ${c.name}: ${errorText(e)}`);
      return undefined;
    }
    const plan = loadTestPlan(options);
    const { runLoadTest } = await import('../../core/loadtest/loadTest');
    const panel = track(LoadTestPanel.create(context, `Load Test: ${c.name}`));
    const ac = new AbortController();
    panel.onCancel = () => ac.abort();
    const title = `${c.modelName} · ${new Date().toLocaleTimeString()}`;
    void panel.show([], [title], { text: 'Starting…', running: true });
    let partial: LoadTestRun | undefined;
    try {
      const run = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Load test of ${c.name}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => ac.abort());
        return runLoadTest({
          target, plan, requests, signal: ac.signal,
          onProgress: (p) => {
            const w = p.windows.at(-1);
            const text = p.phase === 'warmup' ? `${p.label}: warming up` : `${p.label}: window ${p.windows.length}, ${w!.requestsPerSecond.toFixed(0)} req/s, p99 ${w!.p99Ms.toFixed(2)} ms`;
            progress.report({ message: `level ${p.levelIndex + 1} of ${p.levelCount} · ${text}` });
            void panel.show(partial ? [partial] : [], [title], { text, running: true });
          },
          onLevel: (_l, r) => { partial = r; void panel.show([r], [title], { text: 'Next level…', running: true }); },
        });
      });
      panel.onCancel = undefined;
      const drawn = panel.show([run], [title], { text: run.cancelled ? 'Cancelled' : `Done: ${run.levels.length} level(s)`, running: false });
      if (args.exportTo?.json) await exportRun(run, 'json', vscode.Uri.file(args.exportTo.json));
      if (args.exportTo?.csv) await exportRun(run, 'csv', vscode.Uri.file(args.exportTo.csv));
      return { run, drawn: await drawn };
    } catch (e) {
      void vscode.window.showErrorMessage(`Load Test of ${c.name}: ${errorText(e)}`);
      return undefined;
    }
  };

  const compare = async (files?: string[]): Promise<LoadTestResult[] | undefined> => {
    const uris = files?.map((f) => vscode.Uri.file(f)) ?? await vscode.window.showOpenDialog({ title: 'Two saved load test runs (JSON) to compare', canSelectMany: true, filters: { JSON: ['json'] } });
    if (!uris?.length) return undefined;
    if (uris.length > 2) {
      void vscode.window.showErrorMessage(`Pick one saved run to open or two to compare, not ${uris.length}.`);
      return undefined;
    }
    const { parseRun } = await import('../../core/loadtest/loadTestReport');
    const path = await import('path');
    try {
      const runs = await Promise.all(uris.map(async (u) => parseRun(Buffer.from(await vscode.workspace.fs.readFile(u)).toString('utf8'), u.fsPath)));
      const titles = uris.map((u) => path.basename(u.fsPath));
      const panel = track(LoadTestPanel.create(context, runs.length === 2 ? `Load Tests: ${titles[0]} vs ${titles[1]}` : `Load Test: ${titles[0]}`));
      const d = await panel.show(runs, titles);
      return runs.map((run) => ({ run, ...(d ? { drawn: d } : {}) }));
    } catch (e) {
      void vscode.window.showErrorMessage(errorText(e));
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand(COMMANDS.loadTest, loadTest),
    vscode.commands.registerCommand(COMMANDS.compareLoadTests, (a?: unknown, files?: string[]) => compare(Array.isArray(a) ? (a as string[]) : files)),
    { dispose: () => { for (const p of panels) p.dispose(); panels.clear(); } },
  ];
}

async function chooseRequests(target: LoadTestTarget, args: LoadTestArgs, source: typeof import('../../core/loadtest/requestSource')): Promise<RequestSet | undefined> {
  const defs = await source.servedSignatureDefs(target.restUrl, target.model);
  const keys = source.servedSignatureKeys(defs);
  // Called with its options (a test, another command): generated requests without a question.
  if (args.signature || args.batch || args.options) return source.requestsFromSignature(source.chooseSignature(defs, args.signature, target.model), args.batch ?? 1);
  const pick = await vscode.window.showQuickPick([
    ...keys.map((k) => ({ label: `Generated from signature ${k}`, description: 'seeded inputs of the signature\'s dtypes and shapes', key: k as string | undefined, file: undefined })),
    { label: 'A JSON body file…', description: 'a predict request, sent as it is', key: undefined, file: 'body' as const },
    { label: 'A warmup file…', description: 'the predict records of a tf_serving_warmup_requests file', key: undefined, file: 'warmup' as const },
  ], { title: `Requests to send to ${target.model}` });
  if (!pick) return undefined;
  if (pick.key === undefined) {
    const warmup = 'file' in pick && pick.file === 'warmup';
    const file = await vscode.window.showOpenDialog({ title: warmup ? 'Warmup file (TFRecord of PredictionLogs)' : 'Predict request body (JSON)', ...(warmup ? {} : { filters: { JSON: ['json'] } }) });
    if (!file?.[0]) return undefined;
    return warmup ? source.requestsFromWarmupFile(file[0].fsPath) : source.requestsFromBodyFile(file[0].fsPath);
  }
  const batch = await vscode.window.showInputBox({ title: 'Examples per request (batch size)', value: '1', validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 ? undefined : 'A whole number of at least 1') });
  if (batch === undefined) return undefined;
  return source.requestsFromSignature(source.chooseSignature(defs, pick.key, target.model), Number(batch));
}

async function chooseOptions(): Promise<LoadTestOptions | undefined> {
  const mode = await vscode.window.showQuickPick([
    { label: 'Closed loop: concurrency 1, 2, 4, 8, 16', description: 'where throughput stops growing and latency takes off', v: 'sweep' },
    { label: 'Closed loop: other concurrency levels…', v: 'levels' },
    { label: 'Open loop: a fixed request rate…', description: 'evenly spaced; latency from each scheduled send: a stall is not hidden', v: 'rate' },
    { label: 'Open loop: a mean rate with Poisson arrivals…', description: 'as independent clients send: some requests bunch up', v: 'poisson' },
  ], { title: 'Load test mode' });
  if (!mode) return undefined;
  const levels = mode.v === 'sweep' ? {} : await (async () => {
    const open = mode.v === 'rate' || mode.v === 'poisson';
    const v = await vscode.window.showInputBox({ title: open ? 'Requests per second (one, or a list like 50,100,200)' : 'Concurrency levels (like 1,2,4,8)', value: open ? '100' : '1,2,4,8,16' });
    return v === undefined ? undefined : open ? { rate: v, ...(mode.v === 'poisson' ? { arrivals: 'poisson' } : {}) } : { concurrency: v };
  })();
  if (!levels) return undefined;
  const length = await vscode.window.showQuickPick([
    { label: 'Until stable', description: '3 windows of 2 s within ±10 % in throughput and p99; at most 30 s per level', v: 'stable' },
    { label: 'A fixed duration per level…', v: 'duration' },
    { label: 'A fixed number of requests per level…', v: 'requests' },
  ], { title: 'How long each level runs' });
  if (!length) return undefined;
  if (length.v === 'stable') return levels;
  const value = await vscode.window.showInputBox({ title: length.v === 'duration' ? 'Duration per level (like 30s)' : 'Requests per level', value: length.v === 'duration' ? '30s' : '10000' });
  return value === undefined ? undefined : { ...levels, [length.v]: value };
}
