import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, eventually, labelsOf } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/trees/treeNode';

/** The test workspace's first repository: a writable copy of TF Serving's test models. */
function repositoryPath(): string {
  const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
  assert.ok(entry, 'the test workspace must set tfServing.modelRepositories');
  return path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
}

describe('Models view', () => {
  let api: ExtensionApi;
  let repo: TreeNode;

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
    repo = await childByLabel(api.models, undefined, repositoryPath());
  });

  it('lists the models of the repository', async () => {
    const models = await labelsOf(api.models, repo);
    for (const m of ['saved_model_half_plus_two_cpu', 'saved_model_half_plus_two_2_versions', 'saved_model_half_plus_two_tflite']) {
      assert.ok(models.includes(m), `${m} missing from [${models}]`);
    }
  });

  it('shows versions newest first, marks the default and says what each is', async () => {
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_2_versions');
    assert.deepStrictEqual((await labelsOf(api.models, model)).slice(0, 2), ['124', '123']);
    const [v124, v123] = (await api.models.getChildren(model))!;
    const i124 = await api.models.getTreeItem(v124);
    const i123 = await api.models.getTreeItem(v123);
    assert.match(String(i124.description), /00000124 · SavedModel · 9\.9 KB · served by default/);
    assert.doesNotMatch(String(i123.description), /served by default/);
    assert.match(String(i124.contextValue), /^version\.valid\.savedmodel\.local$/);
    assert.strictEqual((i124.iconPath as vscode.ThemeIcon).id, 'star-full');
    const model2 = await api.models.getTreeItem(model);
    assert.match(String(model2.description), /2 versions · serves 124/);
  });

  it('shows TFLite versions and their files with sizes', async () => {
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_tflite');
    const version = await childByLabel(api.models, model, '123');
    assert.match(String((await api.models.getTreeItem(version)).description), /TFLite · 768 B · served by default/);
    const files = await childByLabel(api.models, version, 'Files');
    const file = await childByLabel(api.models, files, 'model.tflite');
    assert.strictEqual((await api.models.getTreeItem(file)).description, '768 B');
  });

  it('expands a version down to its signatures and tensors, as TF Serving describes them', async () => {
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_cpu');
    const version = await childByLabel(api.models, model, '123');
    const tagSet = await childByLabel(api.models, version, 'Tag-set: serve');
    const signatures = await labelsOf(api.models, tagSet);
    // The five signatures of TF Serving's own metadata answer for this model.
    assert.deepStrictEqual([...signatures].sort(), ['classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default']);
    const serving = await childByLabel(api.models, tagSet, 'serving_default');
    assert.strictEqual((await api.models.getTreeItem(serving)).description, 'tensorflow/serving/predict');
    const x = await api.models.getTreeItem(await childByLabel(api.models, serving, 'x'));
    assert.strictEqual(x.description, 'input · DT_FLOAT [-1,1] · x:0');
    const y = await api.models.getTreeItem(await childByLabel(api.models, serving, 'y'));
    assert.strictEqual(y.description, 'output · DT_FLOAT [-1,1] · y:0');
  });

  it('shows the inputs, outputs and operators of a TFLite model', async () => {
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_tflite');
    const version = await childByLabel(api.models, model, '123');
    const inputs = await childByLabel(api.models, version, 'Inputs');
    const [input] = (await api.models.getChildren(inputs))!;
    assert.match(String((await api.models.getTreeItem(input)).description), /^FLOAT32 \[/);
    const ops = await childByLabel(api.models, version, 'Operators');
    assert.ok((await labelsOf(api.models, ops)).length >= 1);
  });

  it('dims folders TF Serving ignores and warns on versions it cannot load', async () => {
    const root = repositoryPath();
    await fs.mkdir(path.join(root, 'broken', 'v2'), { recursive: true });
    await fs.mkdir(path.join(root, 'broken', '7', 'variables'), { recursive: true });
    await vscode.commands.executeCommand('tfServing.refreshModels');
    repo = await childByLabel(api.models, undefined, root);
    const broken = await childByLabel(api.models, repo, 'broken');
    const v7 = await api.models.getTreeItem(await childByLabel(api.models, broken, '7'));
    assert.strictEqual((v7.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String(v7.description), /missing saved_model\.pb/);
    assert.match((v7.tooltip as vscode.MarkdownString).value, /cannot load this version/);
    const ignored = await api.models.getTreeItem(await childByLabel(api.models, broken, 'v2'));
    assert.strictEqual(ignored.description, 'ignored by TF Serving');
    assert.match(String(ignored.tooltip), /rename it to "2"/);
  });

  it('shows a new version folder without a manual refresh', async () => {
    const root = repositoryPath();
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_cpu');
    assert.deepStrictEqual(await labelsOf(api.models, model), ['123']);
    const fired = new Promise<void>((resolve) => {
      const sub = api.models.onDidChangeTreeData(() => { sub.dispose(); resolve(); });
    });
    const src = path.join(root, 'saved_model_half_plus_two_cpu', '00000123');
    await fs.cp(src, path.join(root, 'saved_model_half_plus_two_cpu', '200'), { recursive: true });
    await fired;
    const labels = await eventually(async () => {
      const m = await childByLabel(api.models, repo, 'saved_model_half_plus_two_cpu');
      const l = await labelsOf(api.models, m);
      return l.includes('200') ? l : undefined;
    }, 20000, 'version 200 to appear');
    assert.deepStrictEqual(labels, ['200', '123']);
  });

  it('adds and removes a repository through its commands', async () => {
    const extra = await fs.mkdtemp(path.join(path.dirname(repositoryPath()), 'extra-repo-'));
    await fs.mkdir(path.join(extra, 'only_model', '1'), { recursive: true });
    await vscode.commands.executeCommand('tfServing.addRepository', extra);
    const node = await eventually(async () => childByLabel(api.models, undefined, extra), 10000, 'the new repository');
    assert.deepStrictEqual(await labelsOf(api.models, node), ['only_model']);
    await vscode.commands.executeCommand('tfServing.removeRepository', node);
    const roots = await labelsOf(api.models, undefined);
    assert.ok(!roots.includes(extra), `still listed: ${roots}`);
    assert.ok(!vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', []).includes(extra));
  });

  it('shows an error node for a repository that does not exist, and keeps the others', async () => {
    await vscode.commands.executeCommand('tfServing.addRepository', '/no/such/repository');
    try {
      const bad = await eventually(async () => childByLabel(api.models, undefined, '/no/such/repository'), 10000, 'bad repository');
      const [err] = (await api.models.getChildren(bad))!;
      const item = await api.models.getTreeItem(err);
      assert.match(String(item.label), /does not exist/);
      assert.strictEqual(item.contextValue, 'message.error');
      const good = await childByLabel(api.models, undefined, repositoryPath());
      assert.ok((await labelsOf(api.models, good)).length > 3);
    } finally {
      const node = await childByLabel(api.models, undefined, '/no/such/repository');
      await vscode.commands.executeCommand('tfServing.removeRepository', node);
    }
  });
});
