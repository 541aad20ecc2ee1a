// Scale commands in the extension host: manifests from a command with arguments (no prompts), and version labels
// on the stand-in TF Serving behind the harness's Docker engine (DOCKER_HOST).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import { activateExtension, childByLabel, freePort } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import { validateKubernetesManifests } from '../../src/core/validation/kubernetesValidation';

describe('Scale: manifests and version labels', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  const name = `tfs-ext-labels-${process.pid}`;
  const written: string[] = [];

  before(async () => {
    api = await activateExtension();
  });
  after(async () => {
    for (const f of written) fs.rmSync(f, { force: true });
    await vscode.commands.executeCommand('tfServing.removeServer', { containerId: name }, true);
  });

  it('generates valid manifests into the workspace from arguments, never overwriting an existing file', async () => {
    const file = `k8s/scale-test-${process.pid}.yaml`;
    const args = { modelUri: 'gs://acme-models/prod/half_plus_two', replicas: 2, serviceType: 'NodePort', gpu: true, hpa: true, pdb: true, file, overwrite: false };
    const first = await vscode.commands.executeCommand<{ file: string; secrets: { name: string; command: string }[] }>('tfServing.generateManifests', undefined, args);
    assert.ok(first, 'the command returns what it wrote');
    written.push(first.file);
    assert.strictEqual(first.file, path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, file));
    const text = fs.readFileSync(first.file, 'utf8');
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
    assert.deepStrictEqual(kinds, ['ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    assert.deepStrictEqual(validateKubernetesManifests(file, text, new Set(first.secrets.map((s) => s.name))), []);
    assert.match(text, /image: tensorflow\/serving:latest-gpu/);
    assert.match(first.secrets[0].command, /^kubectl create secret generic tfserving-half-plus-two-gcp-sa --from-file=key\.json=/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, first.file, 'the file is opened');

    const second = await vscode.commands.executeCommand<{ file: string }>('tfServing.generateManifests', undefined, { ...args, replicas: 5 });
    written.push(second.file);
    assert.strictEqual(second.file, first.file.replace(/\.yaml$/, '-2.yaml'));
    assert.strictEqual(fs.readFileSync(first.file, 'utf8'), text, 'the existing file is untouched');
    assert.match(fs.readFileSync(second.file, 'utf8'), /replicas: 5/);
  });

  it('serves a labelled version, moves canary in two steps and compares the labels', async () => {
    assert.ok(process.env.DOCKER_HOST, 'the harness must start a Docker engine and set DOCKER_HOST');
    const entry = vscode.workspace.getConfiguration('tfServing').get<string[]>('modelRepositories', [])[0];
    const root = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, entry);
    const repo = await childByLabel(api.models, undefined, root);
    const model = await childByLabel(api.models, repo, 'saved_model_half_plus_two_2_versions');
    const choices = { restPort: await freePort(), grpcPort: await freePort() };

    const served = await vscode.commands.executeCommand<{ containerId: string; state: unknown; recreated: boolean }>('tfServing.serveWithLabels', model, { labels: { stable: 123 }, choices, containerName: name });
    assert.ok(served, 'serveWithLabels returns the container');
    assert.deepStrictEqual(served.state, { versions: [123], labels: { stable: 123 } });

    const moved = await vscode.commands.executeCommand<{ containerId: string; state: unknown; steps: number; recreated: boolean }>('tfServing.moveLabel', undefined, { containerId: served.containerId, label: 'canary', version: 124 });
    assert.ok(moved, 'moveLabel returns the result');
    assert.strictEqual(moved.steps, 2, 'serve 124, then label it');
    assert.strictEqual(moved.recreated, false, 'the server re-reads its config: no restart');
    assert.deepStrictEqual(moved.state, { versions: [123, 124], labels: { stable: 123, canary: 124 } });

    const sides = await vscode.commands.executeCommand<{ target: string; response?: unknown; millis?: number; error?: string }[]>('tfServing.compareLabels', undefined,
      { containerId: moved.containerId, targets: ['stable', 'canary'], body: { instances: [1, 2] } });
    assert.deepStrictEqual(sides.map((s) => [s.target, s.response, s.error]), [['stable', { predictions: [2.5, 3] }, undefined], ['canary', { predictions: [2.5, 3] }, undefined]]);
    assert.ok(sides.every((s) => typeof s.millis === 'number' && s.millis > 0));

    // Over gRPC (ModelSpec.version_label), once the server is switched to it: the same answers per label.
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.useGrpc', undefined, { containerId: moved.containerId }), 'grpc');
    const overGrpc = await vscode.commands.executeCommand<{ target: string; response?: unknown; error?: string }[]>('tfServing.compareLabels', undefined,
      { containerId: moved.containerId, targets: ['stable', 'canary'], body: { instances: [1, 2] } });
    assert.deepStrictEqual(overGrpc.map((s) => [s.target, s.response, s.error]), [['stable', { predictions: [2.5, 3] }, undefined], ['canary', { predictions: [2.5, 3] }, undefined]]);
    assert.strictEqual(await vscode.commands.executeCommand('tfServing.useRest', undefined, { containerId: moved.containerId }), 'rest');
  });
});
