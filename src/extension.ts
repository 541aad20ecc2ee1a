// Wires core services to VS Code: views, commands, watchers. Nothing else lives here.
import * as vscode from 'vscode';
import { ModelsTreeProvider } from './vscode/trees/modelsTreeProvider';
import { ServingTreeProvider } from './vscode/trees/servingTreeProvider';
import { LocalRepositoryWatcher } from './vscode/trees/localRepositoryWatcher';
import { registerRepositoryCommands } from './vscode/commands/repositoryCommands';
import { registerModelListCommands } from './vscode/commands/modelListCommands';
import { registerVersionTransferCommands } from './vscode/commands/versionTransferCommands';
import { registerCredentialCommands } from './vscode/commands/credentialCommands';
import { RepositoryCredentials } from './vscode/repositoryCredentials';
import { openStore } from './core/storage/storeRegistry';
import { registerModelDetailsCommand } from './vscode/commands/modelDetailsCommand';
import { SECTION, REPOSITORIES } from './vscode/settings';

export interface ExtensionApi {
  readonly models: ModelsTreeProvider;
  readonly serving: ServingTreeProvider;
  /** Every contributed view id with the provider behind it (checked by the extension tests). */
  readonly views: Readonly<Record<string, vscode.TreeDataProvider<unknown>>>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const credentials = new RepositoryCredentials(context.secrets);
  const models = new ModelsTreeProvider();
  models.openStore = async (location, options) => openStore(location, await credentials.withSecrets(location, options));
  const modelsView = vscode.window.createTreeView('tfServing.models', { treeDataProvider: models, showCollapseAll: true });
  const serving = new ServingTreeProvider();
  const servingView = vscode.window.createTreeView('tfServing.serving', { treeDataProvider: serving });
  const watcher = new LocalRepositoryWatcher(models);
  watcher.watch();

  context.subscriptions.push(
    models,
    modelsView,
    servingView,
    watcher,
    ...registerRepositoryCommands(models),
    ...registerModelListCommands(models),
    ...registerVersionTransferCommands(models),
    ...registerCredentialCommands(models, credentials),
    credentials,
    registerModelDetailsCommand(context, modelsView),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.${REPOSITORIES}`)) {
        models.refresh();
        watcher.watch();
      }
    }),
  );
  return { models, serving, views: { 'tfServing.models': models, 'tfServing.serving': serving } };
}

export function deactivate(): void {}
