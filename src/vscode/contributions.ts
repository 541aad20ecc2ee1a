// Every command ID and setting key the extension contributes, named once. package.json declares the same sets;
// the contributions test checks both ways (declared ⇔ named here ⇔ registered, and every setting read by settings.ts).

export const COMMANDS = {
  addRepository: 'tfServing.addRepository',
  removeRepository: 'tfServing.removeRepository',
  refreshModels: 'tfServing.refreshModels',
  refreshNode: 'tfServing.refreshNode',
  showModelDetails: 'tfServing.showModelDetails',
  revealInExplorer: 'tfServing.revealInExplorer',
  copyVersionUri: 'tfServing.copyVersionUri',
  openWalkthrough: 'tfServing.openWalkthrough',
  loadMore: 'tfServing.loadMore',
  filterVersions: 'tfServing.filterVersions',
  clearVersionFilter: 'tfServing.clearVersionFilter',
  publishVersion: 'tfServing.publishVersion',
  downloadVersion: 'tfServing.downloadVersion',
  deleteVersion: 'tfServing.deleteVersion',
  setRepositoryCredentials: 'tfServing.setRepositoryCredentials',
  forgetRepositoryCredentials: 'tfServing.forgetRepositoryCredentials',
  startServer: 'tfServing.startServer',
  copyDockerRun: 'tfServing.copyDockerRun',
  refreshServing: 'tfServing.refreshServing',
  stopServer: 'tfServing.stopServer',
  startContainer: 'tfServing.startContainer',
  restartServer: 'tfServing.restartServer',
  removeServer: 'tfServing.removeServer',
  showServerLogs: 'tfServing.showServerLogs',
  openServerInBrowser: 'tfServing.openServerInBrowser',
  sendTestRequest: 'tfServing.sendTestRequest',
  revealServedModel: 'tfServing.revealServedModel',
  showPollingCost: 'tfServing.showPollingCost',
  convertToTflite: 'tfServing.convertToTflite',
  convertToTensorRt: 'tfServing.convertToTensorRt',
  showConversionScript: 'tfServing.showConversionScript',
  compareVersions: 'tfServing.compareVersions',
  generateManifests: 'tfServing.generateManifests',
  serveWithLabels: 'tfServing.serveWithLabels',
  moveLabel: 'tfServing.moveLabel',
  compareLabels: 'tfServing.compareLabels',
  comparePredictions: 'tfServing.comparePredictions',
  startPrometheus: 'tfServing.startPrometheus',
  showMetrics: 'tfServing.showMetrics',
  openPrometheusUi: 'tfServing.openPrometheusUi',
  stopPrometheus: 'tfServing.stopPrometheus',
  checkWithPromtool: 'tfServing.checkWithPromtool',
  compareOutputs: 'tfServing.compareOutputs',
  repairModel: 'tfServing.repairModel',
  resumePublish: 'tfServing.resumePublish',
  rollBackPublish: 'tfServing.rollBackPublish',
  generateWarmupRequests: 'tfServing.generateWarmupRequests',
  diagnoseServer: 'tfServing.diagnoseServer',
  applyDoctorFix: 'tfServing.applyDoctorFix',
  loadTest: 'tfServing.loadTest',
  compareLoadTests: 'tfServing.compareLoadTests',
  useGrpc: 'tfServing.useGrpc',
  useRest: 'tfServing.useRest',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** View IDs (package.json contributes.views). */
export const VIEWS = { models: 'tfServing.models', serving: 'tfServing.serving' } as const;

/** Setting keys, each read through src/vscode/settings.ts. */
export const SETTINGS = {
  modelRepositories: 'tfServing.modelRepositories',
  showFiles: 'tfServing.models.showFiles',
  pageSize: 'tfServing.models.pageSize',
  dockerHost: 'tfServing.docker.host',
  pythonPath: 'tfServing.convert.pythonPath',
  tensorflowImage: 'tfServing.convert.tensorflowImage',
  tensorrtImage: 'tfServing.convert.tensorrtImage',
  prometheusFiles: 'tfServing.validation.prometheusFiles',
  repairInterruptedPublishes: 'tfServing.models.repairInterruptedPublishes',
  validationMaxAbsDiff: 'tfServing.convert.validation.maxAbsDiff',
  validationMinTop1Percent: 'tfServing.convert.validation.minTop1Percent',
  validationSamples: 'tfServing.convert.validation.samples',
} as const;

export type SettingKey = (typeof SETTINGS)[keyof typeof SETTINGS];
