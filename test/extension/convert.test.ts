// "Convert to TFLite…", "Show Conversion Script" and "Compare Versions…" in the extension host, run by a real python3
// against the stand-in tensorflow package (test/fixtures/fake-tensorflow), which records every converter call.
// Real TensorFlow is not installed here: these tests prove the editor plumbing and the API calls, not real numerics.
import * as assert from 'assert';
import { execFile, execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as vscode from 'vscode';
import type { ConvertOutcome } from '../../src/vscode/convert/conversionCommands';
import type { TreeNode } from '../../src/vscode/trees/treeNode';
import { activateExtension, childByLabel, eventually, labelsOf } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FAKE_TF = path.join(REPO, 'test', 'fixtures', 'fake-tensorflow');
const SOURCE = path.join(REPO, 'test', 'fixtures', 'tf-serving', 'saved_model_half_plus_two_tf2_cpu', '00000123');

interface Call { call: string; args: Record<string, unknown> }

const readCalls = async (log: string): Promise<Call[]> =>
  (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);

/** An interpreter for the pythonPath setting: python3 with the stand-in package, logging calls and its own pid. */
async function pythonWrapper(dir: string, name: string, env: Record<string, string>): Promise<{ python: string; log: string; pidFile: string }> {
  const log = path.join(dir, `${name}.calls.jsonl`);
  const pidFile = path.join(dir, `${name}.pids`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = { PYTHONPATH: FAKE_TF, FAKE_TF_LOG: log, ...env };
  const python = path.join(dir, `${name}.sh`);
  await fs.writeFile(python, [
    '#!/bin/sh',
    `echo $$ >> ${q(pidFile)}`,
    ...Object.entries(vars).map(([k, v]) => `export ${k}=${q(v)}`),
    'exec python3 "$@"',
    '',
  ].join('\n'), { mode: 0o755 });
  return { python, log, pidFile };
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('Conversion commands (stand-in tensorflow, real python3)', function () {
  this.timeout(90_000);
  let root: string;
  let modelDir: string;
  let versionDir: string;
  const cfg = () => vscode.workspace.getConfiguration('tfServing.convert');

  before(async function () {
    // Representative datasets are read with numpy; without it the stand-in cannot run.
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'pipe' });
    await activateExtension();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-convert-'));
    modelDir = path.join(root, 'hp2');
    versionDir = path.join(modelDir, '00000123');
    await fs.cp(SOURCE, versionDir, { recursive: true });
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
    return childByLabel(api.models, await childByLabel(api.models, repo, 'hp2'), label);
  }

  it('Convert to TFLite (float16) publishes model.tflite alone as the next version, with the documented calls and a report', async () => {
    const api = await activateExtension();
    const { python, log } = await pythonWrapper(root, 'float16', {});
    await cfg().update('pythonPath', python, vscode.ConfigurationTarget.Workspace);
    const v123 = await version('123');
    assert.strictEqual((await api.models.getTreeItem(v123)).contextValue, 'version.valid.savedmodel.local');

    const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', v123, { quantize: 'float16' });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.strictEqual(result.publishedVersion, 124);
    assert.strictEqual(result.outputPath, path.join(modelDir, '124'));
    assert.strictEqual(result.tensorflowVersion, '2.17.0');
    assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['00000123', '124'], 'no staging folder left');
    assert.deepStrictEqual(await fs.readdir(path.join(modelDir, '124')), ['model.tflite']);

    // The TensorFlow API calls, in order, as TensorFlow documents them for float16 quantization.
    assert.deepStrictEqual(await readCalls(log), [
      { call: 'tf.lite.TFLiteConverter.from_saved_model', args: { saved_model_dir: versionDir, signature_keys: ['serving_default'], tags: null } },
      { call: 'set converter.optimizations', args: { value: ['tf.lite.Optimize.DEFAULT'] } },
      { call: 'set converter.target_spec.supported_types', args: { value: ['tf.float16'] } },
      { call: 'converter.convert', args: {} },
    ]);

    // The Models view shows the new version as a TFLite version holding model.tflite alone.
    const hp2 = await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'hp2');
    assert.deepStrictEqual(await labelsOf(api.models, hp2), ['124', '123']);
    const v124 = await version('124');
    assert.strictEqual((await api.models.getTreeItem(v124)).contextValue, 'version.valid.tflite.local');
    const files = await childByLabel(api.models, v124, 'Files');
    assert.deepStrictEqual(await labelsOf(api.models, files), ['model.tflite']);

    // The report is open, with both sizes measured from the files.
    const tfliteBytes = (await fs.stat(path.join(modelDir, '124', 'model.tflite'))).size;
    assert.strictEqual(result.report.after.totalBytes, tfliteBytes);
    assert.strictEqual(result.report.before.format, 'savedmodel');
    assert.strictEqual(result.report.after.format, 'tflite');
    assert.ok(result.report.after.tflite?.tensorsByType.FLOAT16?.constantTensors, 'float16 weights in the decoded output');
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.reportUri);
    assert.ok(open, `report ${result.reportUri} is open`);
    const text = open.getText();
    assert.match(text, /^# Conversion report: hp2 version 124 from version 123/m);
    assert.match(text, /## Size/);
    assert.match(text, /\| All files \| [\d.]+ [KMG]?i?B \| [\d.]+ [KMG]?i?B \|/);
    assert.match(text, /weight tensor\(s\) stored as float16/);
  });

  it('Compare Versions… reports on any two versions', async () => {
    const out = await vscode.commands.executeCommand<{ markdown: string; reportUri: string }>('tfServing.compareVersions', await version('123'), await version('124'));
    assert.ok(out);
    assert.match(out.markdown, /^# Comparison: hp2 version 123 → hp2 version 124/m);
    assert.match(out.markdown, /\(savedmodel\)[\s\S]*\(tflite\)/);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.toString() === out.reportUri));
  });

  it('Cancel ends the converter process and publishes nothing', async () => {
    const { python, log, pidFile } = await pythonWrapper(root, 'slow', { FAKE_TF_SLEEP: '60' });
    await cfg().update('pythonPath', python, vscode.ConfigurationTarget.Workspace);
    const ctl = new AbortController();
    const started = Date.now();
    const pending = vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('123'), { quantize: 'dynamic', signal: ctl.signal });
    await eventually(async () => ((await readCalls(log)).some((c) => c.call === 'converter.convert') ? true : undefined), 30_000, 'the converter to start');
    ctl.abort();
    const result = await pending;
    assert.ok(result && !result.ok);
    assert.strictEqual(result.kind, 'cancelled');
    assert.ok(Date.now() - started < 30_000, 'ended long before the 60 s sleep');
    assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['00000123', '124'], 'nothing published');
    const pids = (await fs.readFile(pidFile, 'utf8')).split('\n').filter(Boolean).map(Number);
    assert.strictEqual(pids.length, 2, 'TensorFlow check, then the script');
    await eventually(async () => (pids.every((p) => !alive(p)) ? true : undefined), 10_000, 'the converter process to end');
  });

  it('a missing TensorFlow is reported in plain words before anything runs', async () => {
    const bare = path.join(root, 'bare-python.sh');
    await fs.writeFile(bare, '#!/bin/sh\nexport PYTHONPATH=\nexec python3 "$@"\n', { mode: 0o755 });
    await cfg().update('pythonPath', bare, vscode.ConfigurationTarget.Workspace);
    const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('123'), { quantize: 'dynamic' });
    assert.ok(result && !result.ok);
    assert.strictEqual(result.kind, 'tensorflow-missing');
    assert.match(result.message, /cannot import TensorFlow: ModuleNotFoundError: No module named 'tensorflow'/);
    assert.match(result.hint ?? '', /Docker runner/);
  });

  it('Show Conversion Script returns the generated script and opens it read-only', async () => {
    const script = await vscode.commands.executeCommand<string>('tfServing.showConversionScript', await version('123'), { target: 'tflite', quantize: 'dynamic', selectTfOps: true });
    assert.ok(script);
    assert.match(script, /^#!\/usr\/bin\/env python3/);
    assert.match(script, /tf\.lite\.TFLiteConverter\.from_saved_model\(/);
    assert.match(script, /tf\.lite\.Optimize\.DEFAULT/);
    assert.match(script, /tf\.lite\.OpsSet\.SELECT_TF_OPS/);
    // Written for the next version folder, like the CLI's --dry-run.
    assert.ok(script.includes(path.join(modelDir, '125', 'model.tflite')), 'writes into the next version');
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.scheme, 'tfserving-convert');
    assert.strictEqual(editor?.document.languageId, 'python');
    assert.strictEqual(editor?.document.getText(), script);
  });

  describe('with the Docker runner (private engine, stand-in tensorflow/tensorflow images)', () => {
    before(async function () {
      this.timeout(300_000);
      // Offline stand-ins for tensorflow/tensorflow:2.17.0 and 2.17.0-gpu on the harness's engine (DOCKER_HOST);
      // run asynchronously so the extension host stays responsive meanwhile.
      await promisify(execFile)('sh', [path.join(REPO, 'test/docker/buildTensorflowImage.sh')], { env: process.env });
    });

    it('Convert to TFLite runs in tensorflow/tensorflow:2.17.0 and publishes the next version', async () => {
      const api = await activateExtension();
      const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTflite', await version('123'), { quantize: 'float16', runner: 'docker' });
      assert.ok(result?.ok, JSON.stringify(result));
      assert.strictEqual(result.publishedVersion, 125);
      assert.match(result.commandLine, /^docker run --rm .* -v [^ ]+00000123:\/model:ro .* tensorflow\/tensorflow:2\.17\.0 python3 \/work\/convert\.py$/);
      assert.doesNotMatch(result.commandLine, /--gpus/);
      assert.deepStrictEqual(await fs.readdir(path.join(modelDir, '125')), ['model.tflite']);
      assert.ok(result.report.after.tflite?.tensorsByType.FLOAT16?.constantTensors, 'float16 weights: the option reached the container');
      const hp2 = await childByLabel(api.models, await childByLabel(api.models, undefined, root), 'hp2');
      assert.deepStrictEqual(await labelsOf(api.models, hp2), ['125', '124', '123']);
    });

    it('Convert to TensorRT asks the engine for GPUs; without the NVIDIA runtime it says so and publishes nothing', async () => {
      const result = await vscode.commands.executeCommand<ConvertOutcome>('tfServing.convertToTensorRt', await version('123'), { precision: 'FP16' });
      assert.ok(result && !result.ok);
      assert.strictEqual(result.kind, 'runner-failed');
      assert.match(result.message, /no NVIDIA GPU support/);
      assert.match(result.hint ?? '', /NVIDIA Container Toolkit/);
      assert.deepStrictEqual((await fs.readdir(modelDir)).sort(), ['00000123', '124', '125']);
    });
  });
});
