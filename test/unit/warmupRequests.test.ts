import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SignatureDef } from '../../src/core/model/savedModelDecoder';
import { decodeWarmupRecord, encodeWarmupRecords, type WarmupPredictRequest } from '../../src/core/warmup/predictionLog';
import { encodeTfRecords, readTfRecords } from '../../src/core/warmup/tfRecord';
import { checkWarmupFile, warmupSummary } from '../../src/core/warmup/warmupCheck';
import { buildWarmupRequests, WarmupError } from '../../src/core/warmup/warmupRequests';
import { warmupFileBytes } from '../../src/core/warmup/versionWarmup';
import { floatToHalfBits, halfBitsToFloat } from '../../src/core/model/float16';

const dims = (...d: number[]) => ({ dims: d.map((size) => ({ size, name: '' })), unknownRank: false });
const input = (key: string, dtype: number, shape = dims(-1, 3)) => ({ key, dtype, shape, encoding: { kind: 'name' as const, name: `${key}:0` } });
const signature = (key: string, ...inputs: ReturnType<typeof input>[]): SignatureDef => ({ key, inputs, outputs: [], methodName: 'tensorflow/serving/predict', defaults: [] });
const sig = signature('serving_default', input('x', 1), input('ids', 9, dims(-1)), input('text', 7, dims(-1)));
const FILE = '/models/m/1/assets.extra/tf_serving_warmup_requests';

async function fileOf(requests: WarmupPredictRequest[]): Promise<Uint8Array> {
  return encodeTfRecords(await encodeWarmupRecords(requests));
}

describe('warmup: predict requests, PredictionLog records and the checker', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'tfss-warmup-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates seeded requests of a batch size, writes them as PredictionLogs and reads the same values back', async () => {
    const requests = await buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'generated', seed: 7 }, batchSize: 4, records: 3 });
    assert.strictEqual(requests.length, 3);
    assert.deepStrictEqual(requests[0].inputs.x.shape, [4, 3]);
    assert.deepStrictEqual(requests[0].inputs.ids.shape, [4]);
    const again = await buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'generated', seed: 7 }, batchSize: 4, records: 3 });
    assert.deepStrictEqual(again, requests, 'a seed repeats its inputs');
    const bytes = await warmupFileBytes(requests);
    const records = readTfRecords(bytes).records;
    assert.strictEqual(records.length, 3);
    const decoded = await decodeWarmupRecord(records[1].data);
    assert.ok(decoded.ok && decoded.predict);
    const p = decoded.predict;
    assert.deepStrictEqual([p.modelName, p.signatureName, Object.keys(p.inputs).sort()], ['m', 'serving_default', ['ids', 'text', 'x']]);
    assert.deepStrictEqual(p.inputs.x.values, requests[1].inputs.x.values.map((v) => Math.fround(Number(v))));
    assert.deepStrictEqual(p.inputs.ids.values, requests[1].inputs.ids.values.map((v) => BigInt(Number(v))));
    assert.deepStrictEqual(p.inputs.text.values.map((v) => new TextDecoder().decode(v as Uint8Array)), ['sample 1', 'sample 1', 'sample 1', 'sample 1']);
    const check = await checkWarmupFile(bytes, FILE, [sig]);
    assert.deepStrictEqual([check.records, check.predictRequests, check.problems, check.loadFailure], [3, 3, [], undefined]);
    assert.strictEqual(warmupSummary(check), 'warmup: 3 predict requests');
  });

  it('builds requests from a JSON rows file through the sample reader, batching instances', async () => {
    const file = path.join(dir, 'rows.json');
    writeFileSync(file, JSON.stringify({ instances: [
      { x: [1, 2, 3], ids: 5, text: 'a' }, { x: [4, 5, 6], ids: 6, text: 'b' }, { x: [7, 8, 9.5], ids: 7, text: 'c' },
    ] }));
    const requests = await buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'file', file }, batchSize: 2 });
    assert.strictEqual(requests.length, 2, 'three instances in batches of two: two requests, the second starting over');
    assert.deepStrictEqual(requests[0].inputs.x, { dtype: 1, shape: [2, 3], values: [1, 2, 3, 4, 5, 6] });
    assert.deepStrictEqual(requests[1].inputs.x.values, [7, 8, 9.5, 1, 2, 3]);
    await assert.rejects(buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'file', file }, records: 1001 }),
      (e: unknown) => e instanceof WarmupError && /--records must be a whole number from 1 to 1,000/.test(e.message) && /at most 1,000 warmup records/.test(e.hint ?? ''));
    const big = path.join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(Array.from({ length: 1001 }, () => ({ x: [0, 0, 0], ids: 1, text: 'z' }))));
    await assert.rejects(buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'file', file: big } }),
      (e: unknown) => e instanceof WarmupError && /1,001 requests of 1: more than the 1,000 records TF Serving reads/.test(e.message));
    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify([{ x: [1, 2, 3], ids: 5 }]));
    await assert.rejects(buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'file', file: wrong } }),
      (e: unknown) => e instanceof WarmupError && /instance 0 lacks input "text"/.test(e.message));
  });

  it('builds the same requests from instances in memory (what Send Test Request sent), with the same checks', async () => {
    const instances = [{ x: [1, 2, 3], ids: 5, text: 'a' }, { x: [4, 5, 6], ids: 6, text: 'b' }, { x: [7, 8, 9.5], ids: 7, text: 'c' }];
    const file = path.join(dir, 'same-rows.json');
    writeFileSync(file, JSON.stringify({ instances }));
    const fromFile = await buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'file', file }, batchSize: 2 });
    const fromMemory = await buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'instances', instances, label: 'the requests sent' }, batchSize: 2 });
    assert.deepStrictEqual(fromMemory, fromFile);
    await assert.rejects(buildWarmupRequests({ modelName: 'm', signature: sig, inputs: { kind: 'instances', instances: [{ x: [1, 2, 3], ids: 5 }], label: 'the requests sent' } }),
      (e: unknown) => e instanceof WarmupError && /^the requests sent, instance 0 lacks input "text"/.test(e.message));
  });

  it('names the record and the status TF Serving fails the load with', async () => {
    const good: WarmupPredictRequest = { modelName: 'm', signatureName: '', inputs: {
      x: { dtype: 1, shape: [1, 3], values: [1, 2, 3] }, ids: { dtype: 9, shape: [1], values: [1n] }, text: { dtype: 7, shape: [1], values: [new Uint8Array([104])] },
    } };
    const cases: [WarmupPredictRequest, string, RegExp, string][] = [
      [{ ...good, signatureName: 'nope' }, 'FAILED_PRECONDITION', /record 1: it asks for signature "nope", which the model does not have \(it has serving_default\)/, 'Serving signature key "nope" not found.'],
      [{ ...good, inputs: { x: good.inputs.x } }, 'INVALID_ARGUMENT', /record 1: it sends 1 input\(s\) \(x\)/, 'input size does not match signature: 1!=3 len({x}) != len({ids,text,x}). Sent extra: {}. Missing but required: {ids,text}.'],
      [{ ...good, inputs: { ...good.inputs, x: { dtype: 2, shape: [1, 3], values: [1, 2, 3] } } }, 'INVALID_ARGUMENT', /record 1: input "x" is double, but the signature takes float/, 'input "x" is double, but the signature takes float.'],
      [{ ...good, inputs: { ...good.inputs, x: { dtype: 1, shape: [1, 4], values: [1, 2, 3, 4] } } }, 'INVALID_ARGUMENT', /input "x" has shape \[1, 4\], but the signature takes \[\?, 3\]/, 'input "x" has shape [1, 4], but the signature takes [?, 3].'],
      [{ ...good, inputs: { ...good.inputs, x: { dtype: 1, shape: [1, 3], values: [1, 2, 3, 4] } } }, 'INVALID_ARGUMENT', /input "x" has 4 values for shape \[1, 3\]/, 'tensor parsing error: x'],
    ];
    for (const [bad, code, problem, status] of cases) {
      const check = await checkWarmupFile(await fileOf([good, bad, good]), FILE, [sig]);
      assert.strictEqual(check.predictRequests, 3);
      assert.match(check.problems.map((p) => p.message).join('\n'), problem);
      assert.deepStrictEqual(check.loadFailure, { record: 1, code, message: status });
      assert.strictEqual(warmupSummary(check), 'warmup: 3 predict requests — fails the load at record 1');
    }
  });

  it('refuses what TF Serving refuses: a bad CRC, a cut-off record, a record that does not parse, other log types, more than 1,000 records', async () => {
    const one: WarmupPredictRequest = { modelName: 'm', signatureName: 'serving_default', inputs: { x: { dtype: 1, shape: [1, 3], values: [1, 2, 3] }, ids: { dtype: 9, shape: [1], values: [1n] }, text: { dtype: 7, shape: [1], values: [new Uint8Array(0)] } } };
    const file = await fileOf([one, one]);
    const corrupt = file.slice(); corrupt[file.length - 6] ^= 0xff;
    let check = await checkWarmupFile(corrupt, FILE, [sig]);
    const second = file.length / 2;
    assert.deepStrictEqual(check.loadFailure, { record: 1, code: 'DATA_LOSS', message: `corrupted record at ${second + 12}. Please verify your warmup data is in TFRecord format.` });
    assert.match(check.problems[0].message, /record 1 \(at byte \d+\) is corrupt: the CRC of its data does not match/);
    check = await checkWarmupFile(file.subarray(0, file.length - 3), FILE, [sig]);
    assert.deepStrictEqual(check.loadFailure?.message, `truncated record at ${second}' failed with Read less bytes than requested. Please verify your warmup data is in TFRecord format.`);
    check = await checkWarmupFile(encodeTfRecords([new Uint8Array([0xff, 0xff, 0xff])]), FILE, [sig]);
    assert.deepStrictEqual([check.loadFailure?.code, check.loadFailure?.record], ['INVALID_ARGUMENT', 0]);
    assert.match(check.loadFailure!.message, /^Failed to parse warmup record: \\377\\377\\377 from \/models\/m\/1\/assets\.extra\/tf_serving_warmup_requests$/);
    // session_run_log = 5 { }: field 5, length-delimited, empty.
    check = await checkWarmupFile(encodeTfRecords([new Uint8Array([0x2a, 0])]), FILE, [sig]);
    assert.deepStrictEqual(check.loadFailure, { record: 0, code: 'UNIMPLEMENTED', message: 'Unsupported log_type for warmup: 5' });
    const many = encodeTfRecords(Array(1001).fill((await encodeWarmupRecords([one]))[0]));
    check = await checkWarmupFile(many, FILE, [sig]);
    assert.deepStrictEqual([check.records, check.loadFailure], [1001, { record: 1000, code: 'INVALID_ARGUMENT', message: `Number of warmup records exceeds the maximum (1000) at ${FILE}` }]);
    check = await checkWarmupFile(encodeTfRecords(Array(1000).fill((await encodeWarmupRecords([one]))[0])), FILE, [sig]);
    assert.deepStrictEqual([check.records, check.loadFailure], [1000, undefined]);
  });

  it('converts float16 like numpy (round to nearest even)', () => {
    for (const [value, bits] of [[1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [1e6, 0x7c00], [2 ** -24, 0x0001], [0.1, 0x2e66], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02]] as const) {
      assert.strictEqual(floatToHalfBits(value), bits, String(value));
    }
    assert.strictEqual(halfBitsToFloat(0x2e66), 0.0999755859375);
  });
});
