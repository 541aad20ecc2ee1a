import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, labelsOf } from './helpers';

describe('Publish, download and delete in a local repository', () => {
  it('publishes a SavedModel as the next version, downloads it and deletes it', async () => {
    const api = await activateExtension();
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-publish-'));
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const models = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const source = path.join(path.resolve(ws, models), 'saved_model_half_plus_two_cpu', '00000123');
    await fs.mkdir(path.join(root, 'hp2', '4'), { recursive: true });
    await fs.copyFile(path.join(source, 'saved_model.pb'), path.join(root, 'hp2', '4', 'saved_model.pb'));
    await vscode.commands.executeCommand('tfServing.addRepository', root);
    try {
      const repo = await childByLabel(api.models, undefined, root);
      const model = await childByLabel(api.models, repo, 'hp2');
      assert.deepStrictEqual(await labelsOf(api.models, model), ['4']);
      const result = await vscode.commands.executeCommand<{ version: number; files: number }>('tfServing.publishVersion', model, source);
      assert.strictEqual(result?.version, 5, 'defaults to latest + 1');
      assert.strictEqual(result?.files, 4);
      assert.deepStrictEqual((await fs.readdir(path.join(root, 'hp2'))).sort(), ['4', '5'], 'no staging folder left');
      const m2 = await childByLabel(api.models, repo, 'hp2');
      assert.deepStrictEqual(await labelsOf(api.models, m2), ['5', '4']);
      const v5 = await childByLabel(api.models, m2, '5');
      assert.match(String((await api.models.getTreeItem(v5)).description), /served by default/);

      const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-download-'));
      const downloaded = await vscode.commands.executeCommand<string>('tfServing.downloadVersion', v5, dest);
      assert.strictEqual(downloaded, path.join(dest, '5'));
      assert.deepStrictEqual(await fs.readFile(path.join(dest, '5', 'variables', 'variables.index')), await fs.readFile(path.join(source, 'variables', 'variables.index')));

      const removed = await vscode.commands.executeCommand<number>('tfServing.deleteVersion', v5, true);
      assert.strictEqual(removed, 4);
      const m3 = await childByLabel(api.models, repo, 'hp2');
      assert.deepStrictEqual(await labelsOf(api.models, m3), ['4']);
    } finally {
      const node = await childByLabel(api.models, undefined, root);
      await vscode.commands.executeCommand('tfServing.removeRepository', node);
    }
  });

  it('pages versions with Load more and filters them by prefix', async () => {
    const api = await activateExtension();
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-paging-'));
    for (const v of ['1', '2', '3', '10', '11', '20']) await fs.mkdir(path.join(root, 'm', v, 'variables'), { recursive: true });
    await vscode.workspace.getConfiguration('tfServing.models').update('pageSize', 4, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('tfServing.addRepository', root);
    try {
      const repo = await childByLabel(api.models, undefined, root);
      const model = await childByLabel(api.models, repo, 'm');
      // Numeric order on disk: the first page holds 1, 2, 3, 10.
      assert.deepStrictEqual(await labelsOf(api.models, model), ['10', '3', '2', '1', 'Load more…']);
      const more = (await api.models.getChildren(model))!.at(-1)!;
      await vscode.commands.executeCommand('tfServing.loadMore', more);
      const all = await labelsOf(api.models, model);
      assert.deepStrictEqual(all, ['20', '11', '10', '3', '2', '1']);
      await vscode.commands.executeCommand('tfServing.filterVersions', model, '1');
      assert.deepStrictEqual(await labelsOf(api.models, model), ['11', '10', '1']);
      assert.match(String((await api.models.getTreeItem(model)).description), /filter: 1\*/);
    } finally {
      await vscode.workspace.getConfiguration('tfServing.models').update('pageSize', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('tfServing.removeRepository', await childByLabel(api.models, undefined, root));
    }
    // Removing one repository leaves the others in settings and in the view.
    const left = vscode.workspace.getConfiguration('tfServing').get<unknown[]>('modelRepositories', []);
    assert.strictEqual(left.length, 1, JSON.stringify(left));
    assert.strictEqual((await labelsOf(api.models, undefined)).length, 1);
  });
});
