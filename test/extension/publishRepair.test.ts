// Interrupted publishes in the Models view: marked "publish interrupted" with Resume and Roll Back (contextValue
// publish.interrupted.*), repaired by those commands, by Repair Model, or — by default — by listing the model.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, eventually, labelsOf } from './helpers';

/** What a publish killed with `kill -9` leaves in a local model: its staging folder with a dead claim. */
async function deadPublish(model: string, version: number, source: string, phase: 'uploading' | 'revealing'): Promise<void> {
  const staging = path.join(model, `.staging-${version}`);
  await fs.mkdir(path.join(staging, 'files'), { recursive: true });
  await fs.writeFile(path.join(staging, 'claim.json'), JSON.stringify({
    id: `dead-${version}`, version, host: os.hostname(), pid: 2 ** 22 + 12345, // no such process
    startedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString(),
  }));
  await fs.cp(source, path.join(staging, 'files'), { recursive: true });
  if (phase === 'revealing') await fs.writeFile(path.join(staging, 'journal.json'), JSON.stringify({ id: `dead-${version}`, version, graphFile: 'saved_model.pb' }));
  else await fs.rm(path.join(staging, 'files', 'saved_model.pb'));
}

describe('Interrupted publishes in the Models view', () => {
  it('marks them, resumes one, rolls one back, repairs on Repair Model and on listing', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-repair-'));
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const models = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const source = path.join(path.resolve(ws, models), 'saved_model_half_plus_two_cpu', '00000123');
    const model = path.join(root, 'm');
    await fs.mkdir(model);
    await fs.cp(source, path.join(model, '1'), { recursive: true });
    await deadPublish(model, 2, source, 'revealing');
    await deadPublish(model, 3, source, 'uploading');
    const settings = vscode.workspace.getConfiguration('tfServing.models');
    await settings.update('repairInterruptedPublishes', false, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('tfServing.addRepository', root);
    try {
      const repo = await childByLabel(api.models, undefined, root);
      let m = await childByLabel(api.models, repo, 'm');
      assert.deepStrictEqual(await labelsOf(api.models, m), ['3', '2', '1']);
      const two = await childByLabel(api.models, m, '2');
      const three = await childByLabel(api.models, m, '3');
      const item2 = await api.models.getTreeItem(two);
      const item3 = await api.models.getTreeItem(three);
      assert.strictEqual(item2.contextValue, 'publish.interrupted.revealing.local');
      assert.strictEqual(item3.contextValue, 'publish.interrupted.uploading.local');
      assert.strictEqual(item2.description, 'publish interrupted');
      assert.match(String((item2.tooltip as vscode.MarkdownString).value), /\*\*Resume\*\* finishes it/);

      const resumed = await vscode.commands.executeCommand<{ outcome: string }[]>('tfServing.resumePublish', two);
      assert.deepStrictEqual(resumed?.map((o) => o.outcome), ['finished']);
      const rolledBack = await vscode.commands.executeCommand<{ outcome: string }[]>('tfServing.rollBackPublish', three, true);
      assert.deepStrictEqual(rolledBack?.map((o) => o.outcome), ['rolledBack']);
      assert.deepStrictEqual((await fs.readdir(model)).sort(), ['1', '2']);
      m = await childByLabel(api.models, repo, 'm');
      assert.deepStrictEqual(await labelsOf(api.models, m), ['2', '1']);
      assert.match(String((await api.models.getTreeItem(await childByLabel(api.models, m, '2'))).description), /served by default/);

      await deadPublish(model, 3, source, 'uploading');
      const repaired = await vscode.commands.executeCommand<{ outcome: string; message: string }[]>('tfServing.repairModel', m);
      assert.deepStrictEqual(repaired?.map((o) => o.outcome), ['rolledBack']);
      assert.match(repaired![0].message, /^Rolled back the interrupted publish of version 3/);

      // Default: listing the model repairs in the background, and the model reloads with the finished version.
      await settings.update('repairInterruptedPublishes', undefined, vscode.ConfigurationTarget.Workspace);
      await deadPublish(model, 4, source, 'revealing');
      await vscode.commands.executeCommand('tfServing.refreshNode', m);
      await eventually(async () => {
        const v4 = await childByLabel(api.models, await childByLabel(api.models, repo, 'm'), '4');
        const names = await fs.readdir(model);
        return /^version\.valid\./.test((await api.models.getTreeItem(v4)).contextValue ?? '') && !names.some((n) => n.startsWith('.staging')) ? true : undefined;
      }, 20_000, 'version 4 finished by listing the model');
      assert.deepStrictEqual((await fs.readdir(path.join(model, '4'))).sort(), (await fs.readdir(source)).sort());
    } finally {
      await settings.update('repairInterruptedPublishes', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('tfServing.removeRepository', await childByLabel(api.models, undefined, root));
    }
  });
});
