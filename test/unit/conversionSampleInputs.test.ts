import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SignatureDef } from '../../src/core/model/savedModelDecoder';
import { checkJsonSamples, checkNpySamples, loadSampleSet, readNpyHeader } from '../../src/core/convert/sampleInputs';
import { ConversionError } from '../../src/core/convert/conversionError';
import { npy } from './conversionNpy';

const dims = (...d: number[]) => ({ dims: d.map((size) => ({ size, name: '' })), unknownRank: false });
const input = (key: string, dtype: number, shape = dims(-1, 4)) => ({ key, dtype, shape, encoding: { kind: 'name' as const, name: `${key}:0` } });
const sig = (...inputs: ReturnType<typeof input>[]): SignatureDef => ({ key: 'serving_default', inputs, outputs: [], methodName: 'tensorflow/serving/predict', defaults: [] });
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

function fails(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ConversionError && e.kind === 'invalid-samples' && pattern.test(e.message), `expected ${pattern}`);
}

describe('sample inputs (representative dataset / calibration)', () => {
  it('reads .npy headers (v1) and rejects other files', () => {
    const h = readNpyHeader(npy('<f4', [10, 4]));
    assert.deepStrictEqual({ descr: h.descr, fortran: h.fortranOrder, shape: h.shape }, { descr: '<f4', fortran: false, shape: [10, 4] });
    assert.strictEqual(h.dataOffset % 64, 0);
    fails(() => readNpyHeader(new TextEncoder().encode('not numpy at all')), /not a NumPy \.npy file/);
  });

  it('matches a .npy array against a single-input signature: first axis counts samples', () => {
    const s = checkNpySamples('r.npy', npy('<f4', [100, 4]), sig(input('x', 1)));
    assert.deepStrictEqual(s, { file: 'r.npy', format: 'npy', count: 100, inputs: [{ key: 'x', dtype: 1, numpyDtype: 'float32', sampleShape: [1, 4], rank: 2 }] });
    // float64 data casts to a float32 input; integers too.
    assert.strictEqual(checkNpySamples('r.npy', npy('<f8', [3, 4]), sig(input('x', 1))).count, 3);
    assert.strictEqual(checkNpySamples('r.npy', npy('|u1', [3, 4]), sig(input('x', 1))).count, 3);
  });

  it('names the mismatch for a wrong .npy shape, dtype or input count', () => {
    fails(() => checkNpySamples('r.npy', npy('<f4', [100, 5]), sig(input('x', 1))), /each sample is \[1, 5\], but input "x" takes \[\?, 4\]/);
    fails(() => checkNpySamples('r.npy', npy('<f4', [100]), sig(input('x', 1))), /takes \[\?, 4\]/);
    fails(() => checkNpySamples('r.npy', npy('<f4', [3, 4]), sig(input('x', 3))), /float values but input "x" is int32/);
    fails(() => checkNpySamples('r.npy', npy('<f4', [3, 4]), sig(input('a', 1), input('b', 1))), /has 2 inputs \(a, b\); a \.npy file holds one array/);
    fails(() => checkNpySamples('r.npy', npy('<f4', [0, 4]), sig(input('x', 1))), /holds no samples/);
    fails(() => checkNpySamples('r.npy', npy('<U5', [3, 4]), sig(input('x', 1))), /not a numeric type/);
    fails(() => checkNpySamples('r.npy', npy('<f4', [3, 4]), sig(input('s', 7))), /is string, which calibration cannot feed/);
  });

  it('matches JSON samples by input name, dtype and shape', () => {
    const two = sig(input('image', 1, dims(-1, 2)), input('count', 3, dims(-1)));
    const s = checkJsonSamples('r.json', json([{ image: [[0.5, 1]], count: [3] }, { image: [[1, 2]], count: [4] }]), two);
    assert.strictEqual(s.count, 2);
    assert.deepStrictEqual(s.inputs.map((i) => [i.key, i.numpyDtype, i.sampleShape, i.rank]), [['image', 'float32', [1, 2], 2], ['count', 'int32', [1], 1]]);
    fails(() => checkJsonSamples('r.json', json([{ image: [[0.5, 1]] }]), two), /instance 0 lacks input "count"/);
    fails(() => checkJsonSamples('r.json', json([{ image: [[0.5, 1]], count: [1], extra: 1 }]), two), /"extra", which signature "serving_default" does not take/);
    fails(() => checkJsonSamples('r.json', json([{ image: [[0.5, 1, 2]], count: [1] }]), two), /"image" has shape \[1, 3\], but the signature takes \[\?, 2\] \(one example is \[2\]\)/);
    fails(() => checkJsonSamples('r.json', json([{ image: [[0.5, 1]], count: [1.5] }]), two), /float values but input "count" is int32/);
    fails(() => checkJsonSamples('r.json', json([{ image: [[0.5], [1, 2]], count: [1] }]), two), /not a rectangular array/);
    fails(() => checkJsonSamples('r.json', json([]), two), /non-empty JSON list of instances/);
    fails(() => checkJsonSamples('r.json', json({ inputs: { image: [[1, 2]] } }), two), /columnar format/);
    fails(() => checkJsonSamples('r.json', new TextEncoder().encode('{'), two), /not valid JSON/);
  });

  it('reads TF Serving\'s row format: {"instances": [...]}, one example per instance without the batch axis, bare values for one input', () => {
    const two = sig(input('image', 1, dims(-1, 2)), input('count', 3, dims(-1)));
    const rows = checkJsonSamples('r.json', json({ instances: [{ image: [0.5, 1], count: 3 }, { image: [1, 2], count: 4 }, { image: [3, 4], count: 5 }] }), two);
    assert.strictEqual(rows.count, 3);
    assert.deepStrictEqual(rows.inputs.map((i) => i.sampleShape), [[1, 2], [1]]);
    const one = checkJsonSamples('r.json', json({ instances: [[1, 2, 3, 4], [5, 6, 7, 8]] }), sig(input('x', 1)));
    assert.deepStrictEqual([one.count, one.inputs[0].sampleShape], [2, [1, 4]]);
    fails(() => checkJsonSamples('r.json', json({ instances: [[1, 2, 3]] }), sig(input('x', 1))), /has shape \[3\], but the signature takes \[\?, 4\]/);
    // Strings: refused for calibration, read for validation.
    fails(() => checkJsonSamples('r.json', json(['hello']), sig(input('text', 7, dims(-1)))), /is string, which calibration cannot feed/);
    const text = checkJsonSamples('r.json', json(['hello', 'world']), sig(input('text', 7, dims(-1))), 'validation');
    assert.deepStrictEqual([text.count, text.inputs[0].numpyDtype, text.inputs[0].sampleShape], [2, 'object', [1]]);
    fails(() => checkJsonSamples('r.json', json([3]), sig(input('text', 7, dims(-1))), 'validation'), /rectangular array of strings/);
  });

  it('loads by extension and refuses other formats', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfss-samples-'));
    writeFileSync(path.join(dir, 'r.json'), JSON.stringify([{ x: [[1, 2, 3, 4]] }]));
    const s = await loadSampleSet(path.join(dir, 'r.json'), sig(input('x', 1)));
    assert.strictEqual(s.format, 'json');
    await assert.rejects(loadSampleSet(path.join(dir, 'r.csv'), sig(input('x', 1))), /neither \.npy nor \.json/);
    await assert.rejects(loadSampleSet(path.join(dir, 'missing.npy'), sig(input('x', 1))), /Cannot read/);
    rmSync(dir, { recursive: true, force: true });
  });
});
