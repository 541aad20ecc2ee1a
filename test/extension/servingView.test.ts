// Runs against the real Docker engine the harness started (DOCKER_HOST) with the stand-in tensorflow/serving image.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, childByLabel, eventually, labelsOf, freePort } from './helpers';
import type { ExtensionApi } from '../../src/extension';

describe('Serving view on the real Docker engine', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  const name = `tfs-ext-test-${process.pid}`;

  before(async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    api = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
  });

  after(async () => {
    await vscode.commands.executeCommand('tfServing.removeServer', { containerId: name }, true);
  });

  it('starts a server from a version in the Models view and shows it, with its version AVAILABLE', async () => {
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const repo = await childByLabel(api.models, undefined, root);
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_2_versions');
    const v124 = await childByLabel(api.models, model, '124');
    const restPort = await freePort();
    const grpcPort = await freePort();
    const dockerRun = await vscode.commands.executeCommand<string>('tfServing.copyDockerRun', v124, { choices: { restPort, grpcPort }, containerName: name });
    assert.match(dockerRun, new RegExp(`-p 127\\.0\\.0\\.1:${restPort}:8501 -p 127\\.0\\.0\\.1:${grpcPort}:8500`));
    assert.match(dockerRun, /--monitoring_config_file=/);
    const started = await vscode.commands.executeCommand<{ id: string; restUrl: string }>('tfServing.startServer', v124, { choices: { restPort, grpcPort }, containerName: name });
    assert.ok(started, 'the start command returns the started container');
    assert.strictEqual(started.restUrl, `http://127.0.0.1:${restPort}`);

    const container = await eventually(async () => childByLabel(api.serving, undefined, name), 20_000, 'the container in the Serving view');
    const item = await api.serving.getTreeItem(container);
    assert.match(String(item.description), new RegExp(`^running · latest · REST :${restPort} · gRPC :${grpcPort}$`));
    assert.strictEqual(item.contextValue, 'container.running.ours.monitored');
    const served = await childByLabel(api.serving, container, 'saved_model_half_plus_two_2_versions');
    const versions = await eventually(async () => {
      const labels = await labelsOf(api.serving, served);
      return labels.includes('version 124') ? labels : undefined;
    }, 30_000, 'version 124 in the Serving view');
    assert.ok(versions.includes('version 124'));
    const v = await api.serving.getTreeItem(await childByLabel(api.serving, served, 'version 124'));
    assert.strictEqual(v.description, 'AVAILABLE');
    // The signatures the server reports for that version (/metadata), as TF Serving prints them.
    const sig = await childByLabel(api.serving, await childByLabel(api.serving, served, 'version 124'), 'serving_default');
    assert.strictEqual((await api.serving.getTreeItem(sig)).description, 'tensorflow/serving/predict');
    assert.deepStrictEqual(await labelsOf(api.serving, sig), ['x: input · DT_FLOAT [-1,1] · x:0', 'y: output · DT_FLOAT [-1,1] · y:0']);
    const links = await labelsOf(api.serving, container);
    assert.ok(links.includes('Metrics') && links.includes('REST API') && links.includes('Model repository'), `${links}`);

    // The join: the Models view says which container serves the version.
    const again = await childByLabel(api.models, await childByLabel(api.models, repo, 'saved_model_half_plus_two_2_versions'), '124');
    assert.match(String((await api.models.getTreeItem(again)).description), new RegExp(`AVAILABLE in ${name}`));
  });

  it('the editor and `serve` build the same container for a TFLite model, --prefer_tflite_model included (one decision)', async () => {
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const model = await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'saved_model_half_plus_two_tflite');
    const same = `${name}-same`;
    const editorLine = await vscode.commands.executeCommand<string>('tfServing.copyDockerRun', model, { choices: { restPort: 18711, grpcPort: 18710 }, containerName: same });
    assert.match(editorLine, / --prefer_tflite_model=true( |$)/);
    const { servingSpecFromArgs } = await import('../../src/cli/serveCommand');
    const { containerCreateBody } = await import('../../src/core/serving/containerCreateBody');
    const { dockerRunCommand } = await import('../../src/core/serving/dockerRunCommand');
    const { spec } = servingSpecFromArgs([path.join(root, 'saved_model_half_plus_two_tflite'), '--rest-port', '18711', '--grpc-port', '18710', '--name', same], { env: process.env, cwd: root });
    const cliLine = dockerRunCommand(containerCreateBody(spec).create);
    // Only the folder for generated files differs: the editor keeps it in its global storage.
    const editorConfigDir = /tfserving-studio\.config-dir=(\S+)/.exec(editorLine)![1];
    assert.strictEqual(editorLine.split(editorConfigDir).join('CONFIG'), cliLine.split(spec.configDir).join('CONFIG'));
  });

  it('sends a test prediction and shows the answer with its timing', async () => {
    const result = await vscode.commands.executeCommand<{ response: { predictions: number[] }; millis: number; httpStatus: number }>(
      'tfServing.sendTestRequest', undefined, { containerId: name, body: { instances: [1.0, 2.0, 5.0] } });
    assert.deepStrictEqual(result.response.predictions, [2.5, 3.0, 4.5]);
    assert.strictEqual(result.httpStatus, 200);
    assert.ok(result.millis > 0);
  });

  it('sends the same test prediction over gRPC once the server is switched to it, and reads its state over gRPC', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.useGrpc', undefined, { containerId: name }), 'grpc');
    const result = await vscode.commands.executeCommand<{ response: { predictions: number[] }; protocol: string; url: string }>(
      'tfServing.sendTestRequest', undefined, { containerId: name, body: { instances: [1.0, 2.0, 5.0] } });
    assert.strictEqual(result.protocol, 'grpc');
    assert.match(result.url, /^grpc:\/\/127\.0\.0\.1:\d+\/tensorflow\.serving\.PredictionService\/Predict/);
    assert.deepStrictEqual(result.response.predictions, [2.5, 3.0, 4.5]);
    const container = await childByLabel(api.serving, undefined, name);
    assert.strictEqual((await api.serving.getTreeItem(container)).contextValue, 'container.running.ours.grpc.monitored');
    const served = await eventually(async () => {
      const item = await api.serving.getTreeItem(await childByLabel(api.serving, container, 'saved_model_half_plus_two_2_versions'));
      return String(item.description).endsWith('(gRPC)') ? item : undefined;
    }, 20_000, 'the model state read over gRPC');
    assert.match(String(served.description), /^serving 124 \(gRPC\)$/);
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.useRest', undefined, { containerId: name }), 'rest');
  });

  it('streams the server log into an output channel', async () => {
    const channel = await vscode.commands.executeCommand<vscode.OutputChannel>('tfServing.showServerLogs', { containerId: name });
    assert.ok(channel);
    assert.strictEqual(channel.name, `TF Serving: ${name}`);
  });

  it('compares the predictions of two served versions', async () => {
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const model = await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'saved_model_half_plus_two_2_versions');
    const both = `${name}-both`;
    try {
      const started = await vscode.commands.executeCommand<{ id: string }>('tfServing.startServer', model, { choices: { restPort: await freePort(), grpcPort: await freePort() }, containerName: both, versions: [123, 124] });
      assert.ok(started);
      const result = await vscode.commands.executeCommand<Record<string, unknown> & { maxAbsDiff: number; compared: number }>(
        'tfServing.comparePredictions', undefined, { containerId: both, versions: [123, 124], body: { instances: [1.0, 2.0, 5.0] } });
      assert.ok(result, 'compare returns its result');
      assert.deepStrictEqual((result['version 123'] as { response: unknown }).response, { predictions: [2.5, 3.0, 4.5] });
      assert.deepStrictEqual((result['version 124'] as { response: unknown }).response, { predictions: [2.5, 3.0, 4.5] });
      assert.strictEqual(result.maxAbsDiff, 0);
      assert.strictEqual(result.compared, 3);
      // The same comparison over gRPC, once the server is switched to it: the same answers, said to come over gRPC.
      assert.strictEqual(await vscode.commands.executeCommand('tfServing.useGrpc', undefined, { containerId: both }), 'grpc');
      const overGrpc = await vscode.commands.executeCommand<Record<string, unknown> & { maxAbsDiff: number; protocol: string }>(
        'tfServing.comparePredictions', undefined, { containerId: both, versions: [123, 124], body: { instances: [1.0, 2.0, 5.0] } });
      assert.strictEqual(overGrpc.protocol, 'grpc');
      assert.deepStrictEqual((overGrpc['version 123'] as { response: unknown }).response, { predictions: [2.5, 3.0, 4.5] });
      assert.deepStrictEqual((overGrpc['version 124'] as { response: unknown }).response, { predictions: [2.5, 3.0, 4.5] });
      assert.strictEqual(overGrpc.maxAbsDiff, 0);
    } finally {
      await vscode.commands.executeCommand('tfServing.removeServer', { containerId: both }, true);
    }
  });

  it('follows a stop through the Docker event stream', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.stopServer', { containerId: name }), true);
    const description = await eventually(async () => {
      const node = await childByLabel(api.serving, undefined, name);
      const d = String((await api.serving.getTreeItem(node)).description);
      return d.startsWith('exited') ? d : undefined;
    }, 20_000, 'the container to show as exited');
    assert.match(description, /^exited · latest/);
  });
});
