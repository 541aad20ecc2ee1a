// "Convert to TFLite…", "Show Conversion Script", "Compare Versions…" and "Compare Outputs…" in the extension host,
// run by the project's real TensorFlow (.venv/) on a CNN from the test zoo. The Docker runner part runs real
// TensorFlow too, in tensorflow/tensorflow:2.21.0 built offline from .venv; only TF-TRT (needs an NVIDIA GPU) meets
// the recording stand-in image.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as vscode from 'vscode';
import type { CompareOutcome, ConvertOutcome } from '../../src/vscode/convert/conversionCommands';
import type { TreeNode } from '../../src/vscode/trees/treeNode';
import { tensorflowZoo, venvPython } from '../integration/tensorflowZoo';
import { activateExtension, childByLabel, eventually, labelsOf } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** An interpreter for the pythonPath setting: the venv's Python, recording each process id. */
async function pythonWrapper(dir: string, name: string): Promise<{ python: string; pidFile: string }> {
  const pidFile = path.join(dir, `${name}.pids`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const python = path.join(dir, `${name}.sh`);
  await fs.writeFile(python, ['#!/bin/sh', `echo $$ >> ${q(pidFile)}`, 'export TF_CPP_MIN_LOG_LEVEL=2', `exec ${q(venvPython())} "$@"`, ''].join('\n'), { mode: 0o755 });
  return { python, pidFile };
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('Conversion commands (real TensorFlow in .venv)', function () {
  this.timeout(240_000);
  let root: string;
  let modelDir: string;
  let versionDir: string;
  const cfg = () => vscode.workspace.getConfiguration('tfServing.convert');

  before(async function () {
    this.timeout(300_000);
    const zoo = await tensorflowZoo();
    await activateExtension();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-convert-'));
    modelDir = path.join(root, 'cnn');
    versionDir = path.join(modelDir, '1');
    await fs.cp(zoo.versionDir('cnn'), versionDir, { recursive: true });
    await vscode.commands.executeCommand('tfServing.addRepository', root);
  });

  after(async () => {
    const api = await activateExtension();
    await cfg().update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('tfServing.removeRepository', await childByLabel(api.models, undefined, root));
    await fs.rm(root, { recursive: true, force: true });
  });

  async function version(label: string): Promise<TreeNode> {
    const api = await activateExtension();
    const repo = await childByLabel(api.models, undefined, root);
    return childByLabel(api.models, await childByLabel(api.models, repo, 'cnn'), label);
  }

  it('Convert to TFLite (float16) publishes model.tflite alone as the next version, checks it against the SavedModel and opens the report', async () => {
    const api = await activateExtension();
    const { python } = await pythonWrapper(root, 'float16');
    await cfg().update('pythonPath', python, vscode.ConfigurationTarget.Workspace);
    const v1 = await version('1');
    assert.strictEqual((await api.models.getTreeItem(v1)).contextValue, 'version.valid.savedmodel.local');

    const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', v1, { quantize: 'float16' });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.strictEqual(result.publishedVersion, 2);
    assert.strictEqual(result.outputPath, path.join(modelDir, '2'));
    assert.strictEqual(result.tensorflowVersion, '2.21.0');
    assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['1', '2'], 'no staging folder left');
    assert.deepStrictEqual(await fs.readdir(path.join(modelDir, '2')), ['model.tflite']);
    assert.ok(result.report.after.tflite?.tensorsByType.FLOAT16?.constantTensors, 'float16 weights in the decoded output');

    // Checked against the SavedModel on 32 seeded inputs (the default), in the same Python.
    assert.ok(result.validation?.ok, JSON.stringify(result.validation));
    assert.strictEqual(result.validation.report.samples, 32);
    assert.ok(result.validation.report.passed, result.validation.report.flags.join('\n'));
    assert.ok(result.validation.report.outputs[0].maxAbsDiff < 1e-2);

    // The Models view shows the new version as a TFLite version holding model.tflite alone.
    const cnn = await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'cnn');
    assert.deepStrictEqual(await labelsOf(api.models, cnn), ['2', '1']);
    const v2 = await version('2');
    assert.strictEqual((await api.models.getTreeItem(v2)).contextValue, 'version.valid.tflite.local');
    const files = await childByLabel(api.models, v2, 'Files');
    assert.deepStrictEqual(await labelsOf(api.models, files), ['model.tflite']);

    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.reportUri);
    assert.ok(open, `report ${result.reportUri} is open`);
    const text = open.getText();
    assert.match(text, /^# Conversion report: cnn version 2 from version 1/m);
    assert.match(text, /\| All files \| [\d.]+ [KMG]?i?B \| [\d.]+ [KMG]?i?B \|/);
    assert.match(text, /weight tensor\(s\) stored as float16/);
    assert.match(text, /^## Validation: passed$/m);
    assert.match(text, /^\| output_0 \| \[1, 10\] \| /m);
    assert.match(text, /Median latency per inference/);
  });

  it('Compare Outputs… is offered on local SavedModel versions in the Models view', () => {
    const pkg = vscode.extensions.getExtension('tfserving-studio.tfserving-studio')!.packageJSON;
    const entry = pkg.contributes.menus['view/item/context'].find((m: { command: string }) => m.command === 'tfServing.compareOutputs');
    assert.strictEqual(entry?.when, 'view == tfServing.models && viewItem =~ /^version\\.valid\\.savedmodel\\.local$/');
    assert.strictEqual(pkg.contributes.commands.find((c: { command: string }) => c.command === 'tfServing.compareOutputs')?.title, 'Compare Outputs\u2026');
  });

  it('Compare Outputs… runs version 1 and version 2 on the same inputs and opens the numbers', async () => {
    const out = await vscode.commands.executeCommand<CompareOutcome>('tfServing.compareOutputs', await version('1'), await version('2'), { samples: 6 });
    assert.ok(out?.ok, JSON.stringify(out));
    assert.strictEqual(out.report.samples, 6);
    assert.match(out.markdown, /^# Compare outputs of cnn version 1 and version 2/m);
    assert.match(out.markdown, /6 generated example\(s\), seed 0/);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.toString() === out.reportUri));
  });

  it('Compare Versions… reports on any two versions', async () => {
    const out = await vscode.commands.executeCommand<{ markdown: string; reportUri: string }>('tfServing.compareVersions', await version('1'), await version('2'));
    assert.ok(out);
    assert.match(out.markdown, /^# Comparison: cnn version 1 → cnn version 2/m);
    assert.match(out.markdown, /\(savedmodel\)[\s\S]*\(tflite\)/);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.toString() === out.reportUri));
  });

  it('Cancel ends the converter process and publishes nothing', async () => {
    const { python, pidFile } = await pythonWrapper(root, 'cancel');
    await cfg().update('pythonPath', python, vscode.ConfigurationTarget.Workspace);
    const ctl = new AbortController();
    const started = Date.now();
    const pending = vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('1'), { quantize: 'dynamic', signal: ctl.signal });
    // The second process is the conversion script (the first checked that TensorFlow imports).
    await eventually(async () => ((await fs.readFile(pidFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).length >= 2 ? true : undefined), 60_000, 'the script to start');
    ctl.abort();
    const result = await pending;
    assert.ok(result && !result.ok);
    assert.strictEqual(result.kind, 'cancelled');
    assert.ok(Date.now() - started < 90_000);
    assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['1', '2'], 'nothing published');
    const pids = (await fs.readFile(pidFile, 'utf8')).split('\n').filter(Boolean).map(Number);
    assert.strictEqual(pids.length, 2, 'TensorFlow check, then the script');
    await eventually(async () => (pids.every((p) => !alive(p)) ? true : undefined), 10_000, 'the converter process to end');
  });

  it('a missing TensorFlow is reported in plain words before anything runs', async () => {
    const bare = path.join(root, 'bare-python.sh');
    await fs.writeFile(bare, '#!/bin/sh\nexport PYTHONPATH=\nexec python3 "$@"\n', { mode: 0o755 });
    await cfg().update('pythonPath', bare, vscode.ConfigurationTarget.Workspace);
    const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('1'), { quantize: 'dynamic' });
    assert.ok(result && !result.ok);
    assert.strictEqual(result.kind, 'tensorflow-missing');
    assert.match(result.message, /cannot import TensorFlow: ModuleNotFoundError: No module named 'tensorflow'/);
    assert.match(result.hint ?? '', /Docker runner/);
  });

  it('Show Conversion Script returns the generated script and opens it read-only', async () => {
    const script = await vscode.commands.executeCommand<string>('tfServing.showConversionScript', await version('1'), { target: 'tflite', quantize: 'dynamic', selectTfOps: true });
    assert.ok(script);
    assert.match(script, /^#!\/usr\/bin\/env python3/);
    assert.match(script, /tf\.lite\.TFLiteConverter\.from_saved_model\(/);
    assert.match(script, /tf\.lite\.Optimize\.DEFAULT/);
    assert.match(script, /tf\.lite\.OpsSet\.SELECT_TF_OPS/);
    // Written for the next version folder, like the CLI's --dry-run.
    assert.ok(script.includes(JSON.stringify(path.join(modelDir, '3', 'model.tflite'))), 'writes into the next version');
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.scheme, 'tfserving-convert');
    assert.strictEqual(editor?.document.languageId, 'python');
    assert.strictEqual(editor?.document.getText(), script);
  });

  describe('with the Docker runner (private engine; real TensorFlow image from .venv, stand-in GPU image for TF-TRT)', () => {
    before(async function () {
      this.timeout(600_000);
      // tensorflow/tensorflow:2.21.0 built offline from .venv, and the TF-TRT stand-in 2.17.0-gpu, on the
      // harness's engine (DOCKER_HOST); run asynchronously so the extension host stays responsive meanwhile.
      await promisify(execFile)('sh', [path.join(REPO, 'test/docker/buildTensorflowRealImage.sh')], { env: process.env });
      await promisify(execFile)('sh', [path.join(REPO, 'test/docker/buildTensorflowImage.sh')], { env: process.env });
    });

    it('Convert to TFLite runs real TensorFlow in tensorflow/tensorflow:2.21.0, checks the result and publishes the next version', async function () {
      this.timeout(300_000);
      const api = await activateExtension();
      const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('1'), { quantize: 'float16', runner: 'docker' });
      assert.ok(result?.ok, JSON.stringify(result));
      assert.strictEqual(result.publishedVersion, 3);
      assert.match(result.commandLine, /^docker run --rm .* -v [^ ]+cnn\/1:\/model:ro .* tensorflow\/tensorflow:2\.21\.0 python3 \/work\/convert\.py$/);
      // The check after the conversion ran both models in the same container image: float16 passes.
      assert.ok(result.validation?.ok, JSON.stringify(result.validation));
      assert.ok(result.validation.report.passed, result.validation.report.flags.join('\n'));
      assert.strictEqual(result.validation.report.tensorflowVersion, '2.21.0');
      assert.doesNotMatch(result.commandLine, /--gpus/);
      assert.deepStrictEqual(await fs.readdir(path.join(modelDir, '3')), ['model.tflite']);
      assert.ok(result.report.after.tflite?.tensorsByType.FLOAT16?.constantTensors, 'float16 weights: the option reached the container');
      const cnn = await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'cnn');
      assert.deepStrictEqual(await labelsOf(api.models, cnn), ['3', '2', '1']);
    });

    it('Convert to TensorRT asks the engine for GPUs; without the NVIDIA runtime it says so and publishes nothing', async () => {
      const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTensorRt', await version('1'), { precision: 'FP16' });
      assert.ok(result && !result.ok);
      assert.strictEqual(result.kind, 'runner-failed');
      assert.match(result.message, /no NVIDIA GPU support/);
      assert.match(result.hint ?? '', /NVIDIA Container Toolkit/);
      assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['1', '2', '3']);
    });
  });

  describe('dynamic range and int8 in the extension host (real TensorFlow in .venv)', () => {
    before(async () => {
      const { python } = await pythonWrapper(root, 'quantize');
      await cfg().update('pythonPath', python, vscode.ConfigurationTarget.Workspace);
    });

    it('dynamic range: int8 weights, no QUANTIZE ops, checked against the SavedModel and published', async function () {
      this.timeout(300_000);
      const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('1'), { quantize: 'dynamic', runner: 'local' });
      assert.ok(result?.ok, JSON.stringify(result));
      assert.strictEqual(result.publishedVersion, 4);
      assert.ok((result.report.after.tflite?.tensorsByType.INT8?.constantTensors ?? 0) > 0, JSON.stringify(result.report.after.tflite?.tensorsByType));
      assert.strictEqual(result.report.after.tflite?.operators.QUANTIZE, undefined, 'float in, float out');
      // Both models ran in the same Python on 32 seeded inputs; the numbers are there whatever the verdict.
      assert.ok(result.validation?.ok, JSON.stringify(result.validation));
      assert.strictEqual(result.validation.report.tensorflowVersion, '2.21.0');
      assert.strictEqual(result.validation.report.samples, 32);
      assert.ok(Number.isFinite(result.validation.report.outputs[0].maxAbsDiff));
    });

    it('int8 with the zoo\'s .npy representative dataset: QUANTIZE/DEQUANTIZE at the edges, every sample used', async function () {
      this.timeout(300_000);
      const zoo = await tensorflowZoo();
      const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('1'),
        { quantize: 'int8', representativeDataset: zoo.samples('cnn'), runner: 'local' });
      assert.ok(result?.ok, JSON.stringify(result));
      assert.strictEqual(result.publishedVersion, 5);
      const ops = result.report.after.tflite?.operators ?? {};
      assert.ok((ops.QUANTIZE ?? 0) >= 1 && (ops.DEQUANTIZE ?? 0) >= 1, JSON.stringify(ops));
      assert.deepStrictEqual(result.report.after.tflite?.inputTypes, ['FLOAT32'], 'float in: the quantization is inside');
      assert.ok(result.validation?.ok, JSON.stringify(result.validation));
      assert.ok(result.validation.report.outputs[0].maxAbsDiff > 0, 'int8 changes the outputs');
      assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['1', '2', '3', '4', '5']);
    });
  });
});
