import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { inspectVersion, type VersionFileSource } from '../../src/core/model/modelInspector';
import { renderModelDetailsReport } from '../../src/core/model/modelDetailsReport';
import { ModelDecodeError } from '../../src/core/model/modelDecodeError';
import { builtCli, CLI } from '../integration/builtCli';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/tf-serving');
const cli = CLI;

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 15000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('inspect (model inspector, report and CLI)', () => {
  let tmp: string;

  before(function () {
    // The CLI test runs the bundle, rebuilt when missing or older than the sources.
    this.timeout(60000);
    builtCli();
    tmp = mkdtempSync(path.join(tmpdir(), 'tfss-inspect-'));
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("`inspect --json` prints exactly TF Serving's metadata signature_def", () => {
    const r = runCli('inspect', path.join(fixtures, 'saved_model_half_plus_two_cpu/00000123'), '--json');
    assert.strictEqual(r.status, 0, r.stderr);
    const expected = JSON.parse(readFileSync(path.join(fixtures, 'half_plus_two_model_metadata.json'), 'utf8')).metadata.signature_def;
    assert.deepStrictEqual(JSON.parse(r.stdout), expected);
    // 2-space indented
    assert.ok(r.stdout.startsWith('{\n  "signature_def": {\n    "'), r.stdout.slice(0, 60));
  });

  it('`inspect --json` on TFLite has the SavedModel shape: the serving_default TF Serving generates, then TFLite details', () => {
    const r = runCli('inspect', 'test/fixtures/tf-serving/saved_model_half_plus_two_tflite/00000123', '--json');
    assert.strictEqual(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepStrictEqual(Object.keys(j), ['signature_def', 'tflite']);
    // No SignatureDefs in the file: TF Serving keys inputs and outputs by tensor name, method predict.
    const shape = { dim: [{ size: '1', name: '' }, { size: '1', name: '' }], unknown_rank: false };
    assert.deepStrictEqual(j.signature_def, {
      serving_default: {
        inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: shape, name: 'x' } },
        outputs: { y: { dtype: 'DT_FLOAT', tensor_shape: shape, name: 'y' } },
        method_name: 'tensorflow/serving/predict',
        defaults: {},
      },
    });
    assert.strictEqual(j.tflite.format, 'tflite');
    assert.deepStrictEqual(j.tflite.inputs.map((t: { name: string }) => t.name), ['x']);
    assert.deepStrictEqual(j.tflite.signatures, []);
    assert.deepStrictEqual(j.tflite.operators, { MUL: 1, ADD: 1 });
    assert.deepStrictEqual(j.tflite.tensors_by_type, { FLOAT32: { tensors: 5, constant_tensors: 2, constant_bytes: 8 } });
  });

  it('inspects a model file given by its path, with the same exit code with and without --json', () => {
    for (const file of ['saved_model_half_plus_two_cpu/00000123/saved_model.pb', 'saved_model_half_plus_two_tflite/00000123/model.tflite']) {
      const json = runCli('inspect', path.join(fixtures, file), '--json');
      assert.strictEqual(json.status, 0, json.stderr);
      assert.ok(JSON.parse(json.stdout).signature_def, file);
      assert.strictEqual(runCli('inspect', path.join(fixtures, file)).status, 0, file);
    }
    const gpuOnly = path.join(fixtures, 'saved_model_half_plus_two_cpu/00000123');
    const a = runCli('inspect', gpuOnly, '--tags', 'gpu');
    const b = runCli('inspect', gpuOnly, '--tags', 'gpu', '--json');
    assert.deepStrictEqual([a.status, b.status], [1, 1]);
    assert.match(a.stderr, /no MetaGraphDef with tags \{gpu\}/);
  });

  it('names a Git LFS pointer, a zero-filled file and a folder without variables the graph needs', () => {
    const lfs = path.join(tmp, 'lfs');
    mkdirSync(lfs);
    writeFileSync(path.join(lfs, 'saved_model.pb'), 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 132\n');
    const zeros = path.join(tmp, 'zeros');
    mkdirSync(zeros);
    writeFileSync(path.join(zeros, 'saved_model.pb'), Buffer.alloc(1 << 20));
    const noVariables = path.join(tmp, 'novars');
    mkdirSync(noVariables);
    writeFileSync(path.join(noVariables, 'saved_model.pb'), readFileSync(path.join(fixtures, 'saved_model_half_plus_two_cpu/00000123/saved_model.pb')));
    const l = runCli('inspect', lfs);
    assert.strictEqual(l.status, 1);
    assert.match(l.stderr, /lfs\/saved_model\.pb is a Git LFS pointer.*git lfs pull/);
    const z = runCli('inspect', zeros, '--json');
    assert.strictEqual(z.status, 1);
    assert.match(z.stderr, /zeros\/saved_model\.pb starts with 4,096 zero bytes/);
    const v = runCli('inspect', noVariables, '--json');
    assert.strictEqual(v.status, 0, v.stderr);
    assert.match(v.stderr, /^warning: The graph reads variables, but variables\/variables\.index is missing/);
  });

  it('prints a readable report without --json', () => {
    const r = runCli('inspect', path.join(fixtures, 'saved_model_half_plus_two_tf2_cpu/00000123'));
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /\| Tag-sets \| \{serve\} \|/);
    assert.match(r.stdout, /### Signature `serving_default`/);
    assert.match(r.stdout, /\| `x` \| float \| \(1,\) \| `serving_default_x:0` \|/);
    assert.match(r.stdout, /Method: `tensorflow\/serving\/predict`/);
  });

  it('exits non-zero with one line on bad input', () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'saved_model.pb'), '');
    const corrupt = path.join(tmp, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(path.join(corrupt, 'model.tflite'), Buffer.from('0000TFL3 and then nothing sensible'));
    const cases: [string, RegExp][] = [
      [path.join(tmp, 'missing'), /does not exist/],
      [path.join(fixtures, 'saved_model_half_plus_two_cpu/00000123/variables'), /holds no saved_model\.pb, saved_model\.pbtxt or model\.tflite \(found: variables\.data-00000-of-00001, variables\.index\)/],
      [empty, /saved_model\.pb is empty/],
      [corrupt, /model\.tflite is not a valid TFLite model/],
    ];
    for (const [dir, message] of cases) {
      const r = runCli('inspect', dir, '--json');
      assert.strictEqual(r.status, 1, dir);
      assert.strictEqual(r.stdout, '');
      assert.strictEqual(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    }
    assert.strictEqual(runCli('inspect').status, 2);
    assert.strictEqual(runCli('inspect', fixtures, '--bogus=1').status, 2);
    assert.strictEqual(runCli('inspect', fixtures, '--tags').status, 2, 'a flag without its value');
  });

  it('reads any VersionFileSource (bucket stores) and prefers saved_model.pb over model.tflite', async () => {
    const pb = new Uint8Array(readFileSync(path.join(fixtures, 'saved_model_half_plus_two_cpu/00000123/saved_model.pb')));
    const reads: string[] = [];
    const source: VersionFileSource = {
      label: 's3://bucket/models/half/123',
      listFiles: async () => ['model.tflite', 'saved_model.pb', 'fingerprint.pb'],
      readFile: async (name) => {
        reads.push(name);
        return pb;
      },
    };
    const summary = await inspectVersion(source);
    assert.strictEqual(summary.format, 'savedmodel');
    assert.deepStrictEqual(reads, ['saved_model.pb']);
    assert.deepStrictEqual(summary.otherModelFiles, ['model.tflite']);
    const report = renderModelDetailsReport(summary, 'half/123');
    assert.match(report, /^# half\/123\n/);
    assert.match(report, /\| `inputs` \| string \| unknown rank \| `tf_example:0` \|/);
    assert.match(report, /Also present \| `model\.tflite`/);
    await assert.rejects(
      inspectVersion({ label: 'gs://b/m/1', listFiles: async () => ['README.md'], readFile: async () => new Uint8Array(0) }),
      (e: unknown) => e instanceof ModelDecodeError && e.kind === 'no-model' && e.message === 'gs://b/m/1 holds no saved_model.pb, saved_model.pbtxt or model.tflite (found: README.md)',
    );
  });

  it('inspects a saved_model.pbtxt folder', async () => {
    const dir = path.join(tmp, 'text');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'saved_model.pbtxt'),
      'meta_graphs { meta_info_def { tags: "serve" } signature_def { key: "serving_default" value { inputs { key: "x" value { name: "x:0" dtype: DT_INT64 tensor_shape { dim { size: -1 } } } } method_name: "tensorflow/serving/predict" } } }\n',
    );
    const summary = await inspectVersion(dir);
    assert.strictEqual(summary.format, 'savedmodel-text');
    const r = runCli('inspect', dir, '--json');
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout).signature_def.serving_default.inputs.x, {
      dtype: 'DT_INT64',
      tensor_shape: { dim: [{ size: '-1', name: '' }], unknown_rank: false },
      name: 'x:0',
    });
  });

  it('renders the TFLite report with tensors, quantization and operators', async () => {
    const summary = await inspectVersion(path.join(fixtures, 'saved_model_half_plus_two_tflite_with_sigdef/00000123'));
    const report = renderModelDetailsReport(summary);
    assert.match(report, /\| 0 \| `tflite_input` \| FLOAT32 \| \[1, 1\] \|/);
    assert.match(report, /## TF Serving signatures \(signature_defs_metadata\)/);
    assert.match(report, /\| `x` \| float \| \(1, 1\) \| `tflite_input:0` \|/);
    assert.match(report, /\| MUL \| 1 \|/);
  });
});
