import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel } from './helpers';

describe('Show Model Details', () => {
  it('opens a report of the signatures of a version chosen in the Models view', async () => {
    const api = await activateExtension();
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const repo = await childByLabel(api.models, undefined, root);
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_cpu');
    const version = await childByLabel(api.models, model, '123');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('tfServing.showModelDetails', version);
    assert.ok(doc, 'the command returns the report document');
    assert.strictEqual(doc.uri.scheme, 'tfserving-details');
    assert.strictEqual(doc.languageId, 'markdown');
    const text = doc.getText();
    assert.match(text, /^# saved_model_half_plus_two_cpu version 123/);
    assert.match(text, /Tag-sets \| \{serve\}/);
    for (const sig of ['serving_default', 'classify_x_to_y', 'regress_x_to_y', 'regress_x_to_y2', 'regress_x2_to_y3']) {
      assert.ok(text.includes(`### Signature \`${sig}\``), `report lacks ${sig}`);
    }
    assert.match(text, /\| `x` \| float \| \(-1, 1\) \| `x:0` \|/);
    assert.match(text, /Method: `tensorflow\/serving\/predict`/);
  });

  it('reports a TFLite version and a one-line error for a folder without a model', async () => {
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('tfServing.showModelDetails', vscode.Uri.file(path.join(root, 'saved_model_half_plus_two_tflite', '00000123')), { preview: false });
    assert.ok(doc);
    assert.match(doc.getText(), /TFLite/);
    const none = await vscode.commands.executeCommand('tfServing.showModelDetails', vscode.Uri.file(path.join(root, 'saved_model_half_plus_two_cpu')), { preview: false });
    assert.strictEqual(none, undefined);
  });
});
