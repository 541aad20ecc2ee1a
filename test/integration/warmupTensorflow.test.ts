// Oracle for warmup files, both ways, with the venv's TensorFlow (test/fixtures/warmup/warmup_oracle.py):
// - files the CLI writes are read by tf.data.TFRecordDataset (which checks the CRCs) and
//   tensorflow_serving.apis.prediction_log_pb2, every request runs through its SavedModel signature, and the decoded
//   requests equal what was asked for (dtype, shape, values);
// - files TensorFlow's Python writes the documented way are read and checked by ours, and corrupt copies fail with
//   the same RecordReader message TensorFlow gives.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspectVersion, type SavedModelSummary } from '../../src/core/model/modelInspector';
import { decodeWarmupRecord, type WarmupPredictRequest } from '../../src/core/warmup/predictionLog';
import { readTfRecords } from '../../src/core/warmup/tfRecord';
import { checkWarmupFile } from '../../src/core/warmup/warmupCheck';
import { WARMUP_FILE } from '../../src/core/warmup/warmupFile';
import { buildWarmupRequests, type WarmupInputs } from '../../src/core/warmup/warmupRequests';
import type { WarmupTensor } from '../../src/core/warmup/warmupTensor';
import { REPO, runPython, tensorflowZoo, zooRepository, type Zoo, type ZooModel } from './tensorflowZoo';

const ORACLE = path.join(REPO, 'test', 'fixtures', 'warmup', 'warmup_oracle.py');
const CLI = path.join(REPO, 'dist', 'cli.js');

interface OracleTensor { dtype: string; shape: number[]; values: (number | string | boolean)[] }
interface OracleRequest { log_type: string; model: string; signature: string; inputs: Record<string, OracleTensor>; outputs?: Record<string, number[]> }
interface OracleResult { requests: OracleRequest[]; error?: { type: string; message: string } }

async function oracle(jobs: object[]): Promise<OracleResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfss-warmup-oracle-'));
  try {
    const file = path.join(dir, 'jobs.json');
    writeFileSync(file, JSON.stringify(jobs));
    const { stdout } = await runPython([ORACLE, file], { timeoutMs: 600_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as OracleResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 120_000 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
  });
}

const DTYPE_NAMES: Record<number, string> = { 1: 'float32', 7: 'string', 9: 'int64' };

/** Our tensor in the oracle's terms: float32 values rounded as float32, int64 as numbers, strings decoded. */
function asOracle(t: WarmupTensor): OracleTensor {
  const values = t.values.map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : t.dtype === 1 ? Math.fround(Number(v)) : typeof v === 'bigint' ? Number(v) : v));
  return { dtype: DTYPE_NAMES[t.dtype] ?? String(t.dtype), shape: [...t.shape], values: values as OracleTensor['values'] };
}

interface Case {
  readonly model: ZooModel;
  readonly signature: string;
  readonly inputs: 'samples' | 'generated';
  readonly batch: number;
  readonly records?: number;
}

const CASES: Case[] = [
  { model: 'classifier', signature: 'serving_default', inputs: 'samples', batch: 2 },
  { model: 'text', signature: 'serving_default', inputs: 'samples', batch: 1, records: 3 },
  { model: 'cnn', signature: 'serving_default', inputs: 'samples', batch: 1, records: 3 },
  { model: 'two_sigs', signature: 'lookup', inputs: 'generated', batch: 3, records: 4 },
  { model: 'two_sigs', signature: 'serving_default', inputs: 'generated', batch: 5, records: 2 },
];

describe('warmup files against real TensorFlow (both directions)', function () {
  this.timeout(900_000);
  let zoo: Zoo;
  const repos: { cleanup(): void }[] = [];
  before(async () => { zoo = await tensorflowZoo(); });
  after(() => repos.forEach((r) => r.cleanup()));

  it('TensorFlow reads every file the CLI writes, runs each request through the signature, and sees the requests asked for', async () => {
    const written: { c: Case; versionDir: string; expected: WarmupPredictRequest[] }[] = [];
    for (const c of CASES) {
      const repo = zooRepository(zoo, c.model, `${c.model}_${c.signature}`);
      repos.push(repo);
      const inputs: WarmupInputs = c.inputs === 'samples' ? { kind: 'file', file: zoo.samples(c.model as 'classifier') } : { kind: 'generated', seed: 5 };
      const args = ['warmup', repo.versionDir, '--signature', c.signature, '--batch-size', String(c.batch),
        ...(c.records ? ['--records', String(c.records)] : []), ...(inputs.kind === 'file' ? ['--inputs', inputs.file] : ['--seed', '5'])];
      const run = await cli(args);
      assert.strictEqual(run.code, 0, run.err);
      assert.match(run.out, new RegExp(`predict requests? for signature "${c.signature}"`));
      const summary = await inspectVersion(repo.versionDir) as SavedModelSummary;
      const signature = summary.servingMetaGraph!.signatures.find((s) => s.key === c.signature)!;
      const expected = await buildWarmupRequests({ modelName: path.basename(repo.modelDir), signature, inputs, batchSize: c.batch, ...(c.records ? { records: c.records } : {}) });
      written.push({ c, versionDir: repo.versionDir, expected });
    }
    const results = await oracle(written.map((w) => ({ op: 'read', file: path.join(w.versionDir, WARMUP_FILE), savedModel: w.versionDir })));
    results.forEach((result, i) => {
      const { c, expected } = written[i];
      const label = `${c.model}/${c.signature}`;
      assert.strictEqual(result.error, undefined, `${label}: ${result.error?.message}`);
      assert.strictEqual(result.requests.length, expected.length, label);
      result.requests.forEach((r, n) => {
        assert.deepStrictEqual([r.log_type, r.model, r.signature], ['predict_log', expected[n].modelName, c.signature], `${label} record ${n}`);
        const ours = Object.fromEntries(Object.entries(expected[n].inputs).map(([k, t]) => [k, asOracle(t)]));
        assert.deepStrictEqual(r.inputs, ours, `${label} record ${n}`);
        // The signature ran on it: outputs with the request's batch.
        assert.ok(Object.keys(r.outputs ?? {}).length > 0, `${label} record ${n} produced no outputs`);
      });
      assert.strictEqual(results[i].requests[0].inputs[Object.keys(results[i].requests[0].inputs)[0]].shape[0] ?? 1, c.batch, `${label}: batch size`);
    });
  });

  it('reads and checks warmup files written by TensorFlow\'s Python the documented way; corrupt copies fail with TensorFlow\'s own message', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfss-warmup-py-'));
    repos.push({ cleanup: () => rmSync(dir, { recursive: true, force: true }) });
    const classifier = zoo.versionDir('classifier');
    const twoSigs = zoo.versionDir('two_sigs');
    const text = zoo.versionDir('text');
    const jobs = [
      { op: 'write', file: path.join(dir, 'classifier'), savedModel: classifier, signature: 'serving_default', records: 3, batch: 2 },
      { op: 'write', file: path.join(dir, 'lookup'), savedModel: twoSigs, signature: 'lookup', records: 2, batch: 4 },
      { op: 'write', file: path.join(dir, 'text'), savedModel: text, signature: 'serving_default', records: 2, batch: 3 },
      { op: 'write', file: path.join(dir, 'misnamed'), savedModel: twoSigs, signature: 'lookup', records: 1, batch: 1, nameInRequest: 'lookups' },
    ];
    const wrote = await oracle(jobs);
    const models = [classifier, twoSigs, text, twoSigs];
    for (const [i, job] of jobs.entries()) {
      const bytes = readFileSync(job.file);
      const summary = await inspectVersion(models[i]) as SavedModelSummary;
      const check = await checkWarmupFile(bytes, job.file, summary.servingMetaGraph!.signatures);
      assert.strictEqual(check.predictRequests, job.records, job.file);
      if (job.nameInRequest) {
        assert.deepStrictEqual(check.loadFailure, { record: 0, code: 'FAILED_PRECONDITION', message: 'Serving signature key "lookups" not found.' });
        continue;
      }
      assert.deepStrictEqual([check.problems, check.loadFailure], [[], undefined], job.file);
      // Python's tensors (tensor_content for numbers) decode to the values it wrote.
      const records = readTfRecords(bytes).records;
      for (const [n, record] of records.entries()) {
        const decoded = await decodeWarmupRecord(record.data);
        assert.ok(decoded.ok && decoded.predict, `${job.file} record ${n}`);
        const ours = Object.fromEntries(Object.entries(decoded.predict.inputs).map(([k, t]) => [k, asOracle(t)]));
        assert.deepStrictEqual(ours, wrote[i].requests[n].inputs, `${job.file} record ${n}`);
        assert.strictEqual(decoded.predict.signatureName, job.signature);
      }
    }
    // Corrupt copies of the classifier's file: TensorFlow's DataLossError text is ours.
    const good = readFileSync(jobs[0].file);
    const second = readTfRecords(good).records[1].offset;
    const variants: Record<string, Buffer> = {
      'data-crc': Buffer.from(good.map((b, i) => (i === second + 20 ? b ^ 0x10 : b))),
      'length-crc': Buffer.from(good.map((b, i) => (i === second + 9 ? b ^ 0x01 : b))),
      'first-header': Buffer.from(good.map((b, i) => (i === 2 ? b ^ 0x01 : b))),
      truncated: good.subarray(0, good.length - 7),
    };
    for (const [name, bytes] of Object.entries(variants)) writeFileSync(path.join(dir, name), bytes);
    const read = await oracle(Object.keys(variants).map((name) => ({ op: 'read', file: path.join(dir, name) })));
    for (const [i, [name, bytes]] of Object.entries(variants).entries()) {
      const theirs = read[i];
      assert.strictEqual(theirs.error?.type, 'DataLossError', name);
      const check = await checkWarmupFile(bytes, path.join(dir, name), undefined);
      assert.strictEqual(check.loadFailure?.code, 'DATA_LOSS', name);
      assert.strictEqual(check.loadFailure?.message, `${theirs.error!.message}. Please verify your warmup data is in TFRecord format.`, name);
      assert.strictEqual(check.predictRequests, theirs.requests.length, `${name}: records read before the bad one`);
    }
    // `inspect` shows the line and fails for the corrupt version, as its load would.
    const repo = zooRepository(zoo, 'classifier', 'classifier_inspect');
    repos.push(repo);
    mkdirSync(path.join(repo.versionDir, 'assets.extra'));
    writeFileSync(path.join(repo.versionDir, 'assets.extra', 'tf_serving_warmup_requests'), good);
    let run = await cli(['inspect', repo.versionDir]);
    assert.strictEqual(run.code, 0, run.err);
    assert.match(run.err, /^warmup: 3 predict requests$/m);
    assert.match(run.out, /\| Warmup \| warmup: 3 predict requests/);
    writeFileSync(path.join(repo.versionDir, 'assets.extra', 'tf_serving_warmup_requests'), variants['data-crc']);
    run = await cli(['inspect', repo.versionDir, '--json']);
    assert.strictEqual(run.code, 1);
    assert.match(run.err, /warmup: 1 predict request — fails the load at record 1/);
    assert.match(run.err, /error: .*tf_serving_warmup_requests: record 1 \(at byte \d+\) is corrupt: the CRC of its data does not match/);
    assert.match(run.err, /TF Serving fails the load: DATA_LOSS: corrupted record at \d+\. Please verify your warmup data is in TFRecord format\./);
    JSON.parse(run.out);
  });
});
