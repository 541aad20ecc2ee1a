// "Start Prometheus" on a running server: prometheus.yml from the core writer, checked by our schema and by
// promtool (when installed), a user-defined network shared with the server, prom/prometheus on 127.0.0.1, its
// node under the server in the Serving view and its UI in the browser. Servers without monitoring are offered a
// restart with it. Also "Open Prometheus UI" and "Stop Prometheus".
import * as vscode from 'vscode';
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import type { ServingState } from '../serving/servingState';
import { ContainerNode } from '../serving/servingTreeProvider';
import { errorText } from '../errorText';
import type { PrometheusInstances } from './prometheusInstances';
import { PrometheusNode } from './prometheusNode';
import type { PromtoolResult } from './promtoolCheck';
import { COMMANDS } from '../contributions';
import { loadLanguageServices } from '../language/loadLanguageServices';

export interface StartPrometheusArgs {
  /** Host port for Prometheus (default 9090, or the next free one). */
  readonly hostPort?: number;
  /** Open the UI in the browser when it is ready (default true). */
  readonly openBrowser?: boolean;
  /** Answer the "restart with monitoring" question without asking (tests). */
  readonly restartWithoutMonitoring?: boolean;
}

export interface StartPrometheusResult {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly network?: string;
  readonly configFile: string;
  readonly promtool: PromtoolResult;
}

type ServerArg = ContainerNode | { containerId: string } | undefined;

export function registerPrometheusCommands(context: vscode.ExtensionContext, state: ServingState, instances: PrometheusInstances): vscode.Disposable[] {
  const pickServer = async (arg: ServerArg): Promise<ServingContainer | undefined> => {
    if (arg instanceof ContainerNode) return arg.container;
    const containers = await state.reload();
    if (arg && 'containerId' in arg) return containers.find((c) => c.id === arg.containerId || c.name === arg.containerId);
    const running = containers.filter((c) => c.state === 'running');
    if (!running.length) {
      void vscode.window.showInformationMessage('No TF Serving container is running.');
      return undefined;
    }
    if (running.length === 1) return running[0];
    return (await vscode.window.showQuickPick(running.map((c) => ({ label: c.name, description: c.image, c })), { title: 'Which server?' }))?.c;
  };

  const start = async (arg: ServerArg, args: StartPrometheusArgs = {}): Promise<StartPrometheusResult | undefined> => {
    let c = await pickServer(arg);
    if (!c) return undefined;
    if (c.state !== 'running') {
      void vscode.window.showInformationMessage(`${c.name} is not running; start it first.`);
      return undefined;
    }
    if (!c.monitoringPath) {
      const restarted = await offerMonitoringRestart(state, c, args.restartWithoutMonitoring);
      if (!restarted) return undefined;
      c = restarted;
    }
    const server = c;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting Prometheus for ${server.name}` }, async (progress) => {
      try {
        const { prometheusContainerPlan, startPrometheusContainer, PROMETHEUS_PORT } = await import('../../core/monitoring/prometheusContainer');
        const { nextFreePort } = await import('../../core/serving/portProbe');
        const engine = await state.engine();
        // A Prometheus of ours for this server is replaced; its port is free again once it is gone.
        const previous = instances.of(server.name);
        const previousPort = previous?.url ? Number(new URL(previous.url).port) : undefined;
        const hostPort = args.hostPort ?? previousPort ?? (await nextFreePort(PROMETHEUS_PORT)) ?? PROMETHEUS_PORT;
        const configDir = path.join(context.globalStorageUri.fsPath, 'prometheus', server.name);
        const plan = await prometheusContainerPlan({
          source: { kind: 'container', containerName: server.name },
          metricsPath: server.monitoringPath,
          hostPort,
          configDir,
        });
        progress.report({ message: 'checking prometheus.yml' });
        const config = plan.files[0];
        const promtool = await checkConfig(config.content);
        progress.report({ message: `starting ${plan.create.name} on 127.0.0.1:${hostPort}` });
        const started = await startPrometheusContainer(engine, plan, {
          onPullProgress: (p) => progress.report({ message: `pulling ${plan.create.Image}: ${p.status}` }),
        });
        progress.report({ message: 'waiting for Prometheus to be ready' });
        const { PrometheusApiClient } = await import('../../core/monitoring/prometheusApiClient');
        const api = new PrometheusApiClient(started.url, 2000);
        const deadline = Date.now() + 60_000;
        while (!(await api.ready())) {
          if (Date.now() > deadline) throw new Error(`Prometheus started but did not become ready at ${started.url} within 60 s; see its logs (docker logs ${started.name}).`);
          await new Promise((r) => setTimeout(r, 500));
        }
        await instances.reload();
        await state.reload();
        if (args.openBrowser !== false) void vscode.env.openExternal(vscode.Uri.parse(started.url));
        const note = promtool.ran ? '' : ` ${promtool.note}`;
        void vscode.window.showInformationMessage(`Prometheus scrapes ${server.name} every 5 s at ${started.url}.${note}`, 'Show Metrics').then((a) => {
          if (a) void vscode.commands.executeCommand(COMMANDS.showMetrics, { containerId: server.id });
        });
        return { ...started, configFile: config.path, promtool };
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not start Prometheus for ${server.name}: ${errorText(e)}`);
        return undefined;
      }
    });
  };

  const promArg = async (arg: PrometheusNode | ServerArg) => {
    if (arg instanceof PrometheusNode) return arg.instance;
    const c = await pickServer(arg);
    if (!c) return undefined;
    await instances.reload();
    const inst = instances.of(c.name);
    if (!inst) void vscode.window.showInformationMessage(`No Prometheus runs for ${c.name}; use "Start Prometheus" first.`);
    return inst;
  };

  return [
    vscode.commands.registerCommand(COMMANDS.startPrometheus, start),
    vscode.commands.registerCommand(COMMANDS.openPrometheusUi, async (arg?: PrometheusNode | ServerArg) => {
      const inst = await promArg(arg);
      if (inst?.url) await vscode.env.openExternal(vscode.Uri.parse(inst.url));
      return inst?.url;
    }),
    vscode.commands.registerCommand(COMMANDS.stopPrometheus, async (arg?: PrometheusNode | ServerArg) => {
      const inst = await promArg(arg);
      if (!inst) return false;
      try {
        const { removePrometheusContainer } = await import('../../core/monitoring/prometheusContainer');
        await removePrometheusContainer(await state.engine(), inst.id);
        await instances.reload();
        await state.reload();
        return true;
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not remove ${inst.name}: ${errorText(e)}`);
        return false;
      }
    }),
  ];
}

/** Our schema check (always) and promtool's (when installed); throws on the first refusal. */
async function checkConfig(content: string): Promise<PromtoolResult> {
  // The validator lives in dist/languageServices.js, loaded on first use, not in the activation bundle.
  const { validatePrometheusConfig } = loadLanguageServices();
  const errors = validatePrometheusConfig('prometheus.yml', content).filter((f) => f.severity === 'error');
  if (errors.length) throw new Error(`The generated prometheus.yml does not pass the schema check: ${errors.map((f) => f.message).join('; ')}`);
  const { promtoolCheckConfig } = await import('./promtoolCheck');
  // promtool reads a file; a private temporary one, so nothing half-written is ever mounted.
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfs-promtool-'));
  try {
    const file = path.join(dir, 'prometheus.yml');
    await fs.promises.writeFile(file, content);
    const result = await promtoolCheckConfig(file);
    if (result.ran && !result.ok) throw new Error(`promtool check config refused the generated prometheus.yml: ${result.output}`);
    return result;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Says that metrics need a monitoring config and offers the restart; the re-created server, or undefined. */
async function offerMonitoringRestart(state: ServingState, c: ServingContainer, preAnswered?: boolean): Promise<ServingContainer | undefined> {
  if (!c.ours) {
    void vscode.window.showWarningMessage(`${c.name} exposes no metrics: TF Serving needs --monitoring_config_file with prometheus_config enabled. It was not started by TF Serving Studio, so restart it yourself with one.`);
    return undefined;
  }
  const action = 'Restart with Monitoring';
  const answer = preAnswered ? action : await vscode.window.showWarningMessage(
    `${c.name} exposes no metrics: it was started without a monitoring config.`,
    { modal: true, detail: 'Restart it with the same settings plus a monitoring config (Prometheus metrics at /monitoring/prometheus/metrics)? Requests in flight are dropped.' },
    action,
  );
  if (answer !== action) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restarting ${c.name} with monitoring` }, async () => {
    try {
      const { restartWithMonitoring } = await import('../../core/serving/restartWithMonitoring');
      const started = await restartWithMonitoring(await state.engine(), c, state.clientFor);
      const containers = await state.reload();
      return containers.find((x) => x.id === started.id);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not restart ${c.name} with monitoring: ${errorText(e)}`);
      await state.reload();
      return undefined;
    }
  });
}
