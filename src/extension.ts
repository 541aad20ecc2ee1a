// Wires core services to VS Code: views, commands, watchers. Nothing else lives here.
import * as vscode from 'vscode';
import { ModelsTreeProvider } from './vscode/model/modelsTreeProvider';
import { LocalRepositoryWatcher } from './vscode/model/localRepositoryWatcher';
import { registerRepositoryCommands } from './vscode/model/repositoryCommands';
import { registerModelListCommands } from './vscode/model/modelListCommands';
import { registerVersionTransferCommands } from './vscode/model/versionTransferCommands';
import { registerPublishRepairCommands } from './vscode/model/publishRepairCommands';
import { registerCredentialCommands } from './vscode/model/credentialCommands';
import { registerModelDetailsCommand } from './vscode/model/modelDetailsCommand';
import { registerPollingCostCommand } from './vscode/model/pollingCostCommand';
import { RepositoryCredentials } from './vscode/repositoryCredentials';
import { ServingState } from './vscode/serving/servingState';
import { ServingTreeProvider } from './vscode/serving/servingTreeProvider';
import { registerStartServerCommand } from './vscode/serving/startServerCommand';
import { registerContainerCommands } from './vscode/serving/containerCommands';
import { registerServingProtocolCommands, rememberedProtocols } from './vscode/serving/servingProtocolCommands';
import { registerSendTestRequestCommand } from './vscode/serving/sendTestRequestCommand';
import { registerComparePredictionsCommand } from './vscode/serving/comparePredictionsCommand';
import { registerConversionCommands } from './vscode/convert/registerConversionCommands';
import { registerScaleCommands } from './vscode/k8s/scaleCommands';
import { connectDocker } from './vscode/serving/dockerConnection';
import { PrometheusInstances } from './vscode/monitoring/prometheusInstances';
import { prometheusChildren } from './vscode/monitoring/prometheusNode';
import { registerPrometheusCommands } from './vscode/monitoring/startPrometheusCommand';
import { registerMetricsPanel } from './vscode/monitoring/metricsPanel';
import { registerLoadTestCommands } from './vscode/loadtest/loadTestCommands';
import { revealServedModel } from './vscode/model/revealModel';
import { openStore } from './core/storage/storeRegistry';
import { SETTINGS, VIEWS } from './vscode/contributions';
import { registerLanguageFeatures, type LanguageFeatures } from './vscode/language/languageFeatures';
import { registerPromtoolCommand } from './vscode/language/promtoolCommand';
import { registerWarmupCommand } from './vscode/warmup/generateWarmupCommand';
import { SentRequestLog } from './core/warmup/sentRequests';
import { Doctor } from './vscode/doctor/doctor';
import { diagnosisChildren, registerDoctorCommands } from './vscode/doctor/doctorCommands';

export interface ExtensionApi {
  readonly models: ModelsTreeProvider;
  readonly serving: ServingTreeProvider;
  readonly servingState: ServingState;
  /** Every contributed view id with the provider behind it (checked by the extension tests). */
  readonly views: Readonly<Record<string, vscode.TreeDataProvider<unknown>>>;
  /** Schemas, TF Serving checks and completion for prometheus.yml, manifests and TF Serving configs. */
  readonly languages: LanguageFeatures;
  /** Diagnoses of failing servers and the notifications shown for them. */
  readonly doctor: Doctor;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const credentials = new RepositoryCredentials(context.secrets);
  const models = new ModelsTreeProvider();
  models.openStore = async (location, options) => openStore(location, await credentials.withSecrets(location, options));
  const modelsView = vscode.window.createTreeView(VIEWS.models, { treeDataProvider: models, showCollapseAll: true });
  const watcher = new LocalRepositoryWatcher(models);
  watcher.watch();

  const servingState = new ServingState(connectDocker, { protocols: rememberedProtocols(context.globalState) });
  const serving = new ServingTreeProvider(servingState);
  const servingView = vscode.window.createTreeView(VIEWS.serving, { treeDataProvider: serving });
  const prometheus = new PrometheusInstances(servingState);
  const doctor = new Doctor(servingState);
  const sentRequests = new SentRequestLog(); // what Send Test Request sent, for warmup files
  models.servedBy = (model, version) => servingState.servingOf(model, version).map((s) => ({ name: s.container.name, state: s.state }));
  // Docker events and REST status run only while a view that shows them is visible.
  const track = (view: vscode.TreeView<unknown>) => {
    if (view.visible) void servingState.setWatching(true);
    return view.onDidChangeVisibility((e) => void servingState.setWatching(e.visible));
  };

  context.subscriptions.push(
    models,
    modelsView,
    watcher,
    servingState,
    serving,
    servingView,
    track(servingView),
    track(modelsView),
    servingState.onDidChange(() => models.refreshItems()),
    ...registerRepositoryCommands(models),
    ...registerModelListCommands(models),
    ...registerVersionTransferCommands(models),
    ...registerPublishRepairCommands(models),
    ...registerCredentialCommands(models, credentials),
    credentials,
    registerModelDetailsCommand(context, modelsView),
    registerPollingCostCommand(context),
    ...registerStartServerCommand(context, servingState, credentials, doctor),
    ...registerContainerCommands(servingState, (model) => revealServedModel(models, modelsView, model)),
    ...registerServingProtocolCommands(servingState),
    ...registerSendTestRequestCommand(servingState, doctor, sentRequests),
    ...registerComparePredictionsCommand(servingState),
    ...registerConversionCommands(models),
    ...registerWarmupCommand(models, sentRequests),
    ...registerPromtoolCommand(),
    ...registerScaleCommands(servingState),
    prometheus,
    serving.setContainerChildren(prometheusChildren(prometheus)),
    ...registerPrometheusCommands(context, servingState, prometheus),
    ...registerMetricsPanel(context, servingState, prometheus),
    doctor,
    serving.setDiagnoses(diagnosisChildren(doctor)),
    ...registerDoctorCommands(servingState, doctor),
    ...registerLoadTestCommands(context, servingState),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS.modelRepositories)) {
        models.refresh();
        watcher.watch();
      }
    }),
  );
  const languages = registerLanguageFeatures(context);
  return { models, serving, servingState, languages, doctor, views: { [VIEWS.models]: models, [VIEWS.serving]: serving } };
}

export function deactivate(): void {}
