import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { ModelDecodeError } from '../../src/core/model/modelDecodeError';
import { inspectModelBytes } from '../../src/core/model/modelInspector';
import { decodeSavedModel } from '../../src/core/model/savedModelDecoder';
import { decodeSavedModelText } from '../../src/core/model/savedModelTextDecoder';
import { decodeTflite } from '../../src/core/model/tfliteDecoder';
import { buildFlatBuffer, fb, type FbTable } from './decoderTestFlatBuffers';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/tf-serving');
const read = (...p: string[]) => new Uint8Array(readFileSync(path.join(fixtures, ...p)));

/** Small deterministic PRNG (mulberry32), so failures reproduce from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(seed: number, length: number): Uint8Array {
  const r = prng(seed);
  return Uint8Array.from({ length }, () => Math.floor(r() * 256));
}

/** The decoder either succeeds or throws a one-line ModelDecodeError; anything else (TypeError, RangeError…) fails. */
function decodesOrRejectsCleanly(decode: () => unknown, what: string): 'ok' | 'rejected' {
  try {
    decode();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof ModelDecodeError, `${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.ok(!e.message.includes('\n') && e.message.length > 0, `${what}: message must be one line`);
    return 'rejected';
  }
}

describe('Corrupt model files', () => {
  const savedModel = read('saved_model_half_plus_two_cpu', '00000123', 'saved_model.pb');
  const tfliteModels = [read('saved_model_half_plus_two_tflite', '00000123', 'model.tflite'), read('saved_model_half_plus_two_tflite_with_sigdef', '00000123', 'model.tflite')];

  it('rejects every truncation of saved_model.pb', () => {
    // Every prefix near both ends, every 5th in between (each costs a parse of up to 12 KB).
    for (let n = 0; n < savedModel.length; n++) {
      if (n % 5 !== 0 && n > 512 && n < savedModel.length - 512) continue;
      assert.strictEqual(decodesOrRejectsCleanly(() => decodeSavedModel(savedModel.subarray(0, n)), `prefix ${n}`), 'rejected', `prefix ${n}`);
    }
  });

  it('rejects every truncation of both .tflite files', () => {
    for (const model of tfliteModels) {
      for (let n = 0; n < model.length; n++) {
        assert.strictEqual(decodesOrRejectsCleanly(() => decodeTflite(model.subarray(0, n)), `prefix ${n}`), 'rejected', `prefix ${n}`);
      }
    }
  });

  it('rejects random bytes as a SavedModel, a text SavedModel and a TFLite model (20 seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = randomBytes(seed, 64 + seed * 97);
      assert.strictEqual(decodesOrRejectsCleanly(() => decodeSavedModel(bytes), `seed ${seed}`), 'rejected', `pb seed ${seed}`);
      assert.strictEqual(decodesOrRejectsCleanly(() => decodeSavedModelText(new TextDecoder().decode(bytes)), `seed ${seed}`), 'rejected', `pbtxt seed ${seed}`);
      assert.strictEqual(decodesOrRejectsCleanly(() => decodeTflite(bytes), `seed ${seed}`), 'rejected', `tflite seed ${seed}`);
      // With the right identifier the reader goes deeper into the random offsets; it must still fail cleanly.
      const disguised = Uint8Array.from(bytes);
      disguised.set([0x54, 0x46, 0x4c, 0x33], 4);
      assert.strictEqual(decodesOrRejectsCleanly(() => decodeTflite(disguised), `disguised seed ${seed}`), 'rejected', `disguised seed ${seed}`);
    }
  });

  it('survives random byte flips in real files (decodes or fails cleanly, never crashes)', () => {
    const counts = { ok: 0, rejected: 0 };
    for (let seed = 1; seed <= 150; seed++) {
      const r = prng(seed);
      for (const [name, original, decode] of [
        ['saved_model.pb', savedModel, decodeSavedModel],
        ['model.tflite', tfliteModels[seed % 2], decodeTflite],
      ] as const) {
        const mutated = Uint8Array.from(original);
        for (let k = 0; k < 1 + (seed % 4); k++) mutated[Math.floor(r() * mutated.length)] ^= 1 << Math.floor(r() * 8);
        counts[decodesOrRejectsCleanly(() => (decode as (b: Uint8Array) => unknown)(mutated), `${name} seed ${seed}`)]++;
      }
    }
    // Both outcomes occur: flips in string bytes decode fine, flips in lengths and offsets are rejected.
    assert.ok(counts.ok > 0 && counts.rejected > 0, JSON.stringify(counts));
  });

  it('rejects .pb files that are not SavedModels: fingerprint.pb and variables.index', () => {
    for (const p of [
      ['saved_model_half_plus_two_tf2_cpu', '00000123', 'fingerprint.pb'],
      ['saved_model_half_plus_two_tf2_cpu', '00000123', 'variables', 'variables.index'],
      ['saved_model_half_plus_two_cpu', '00000123', 'variables', 'variables.index'],
      ['saved_model_half_plus_two_cpu', '00000123', 'assets', 'foo.txt'],
    ]) {
      assert.throws(() => decodeSavedModel(read(...p), p.join('/')), (e: unknown) => e instanceof ModelDecodeError && e.kind === 'corrupt' && e.message.startsWith(p.join('/')), p.join('/'));
    }
  });

  it('rejects a SavedModel file handed to the TFLite decoder and vice versa', () => {
    assert.throws(() => decodeTflite(savedModel), /not a TFLite model/);
    assert.throws(() => decodeSavedModel(tfliteModels[0]), ModelDecodeError);
  });

  it('rejects empty files with a clear message', () => {
    for (const name of ['saved_model.pb', 'saved_model.pbtxt', 'model.tflite']) {
      assert.throws(() => inspectModelBytes(name, new Uint8Array(0)), (e: unknown) => e instanceof ModelDecodeError && e.message === `${name} is empty`);
    }
    assert.throws(() => decodeSavedModel(new Uint8Array(0)), /holds no MetaGraphDef/);
    assert.throws(() => decodeTflite(new Uint8Array(0)), /not a TFLite model/);
  });

  it('stops a file whose shared tables would take quadratic time to walk', () => {
    const n = 1000;
    const tensor: FbTable = [fb.i32s(Array(n).fill(1)), fb.i8(0), fb.u32(0), fb.str('t')];
    const subgraph: FbTable = [fb.tables(Array(n).fill(tensor))];
    const bytes = buildFlatBuffer([fb.u32(3), fb.tables([]), fb.tables(Array(n).fill(subgraph))]);
    assert.ok(bytes.length < 20000, `${bytes.length} bytes`);
    // Honest walking would visit 10^6 tensors and 10^9 shape entries.
    assert.throws(() => decodeTflite(bytes), (e: unknown) => e instanceof ModelDecodeError && /far more often than a real model/.test(e.message));
  });

  it('rejects a hostile vector length without allocating for it', () => {
    const bytes = Uint8Array.from(tfliteModels[0]);
    // Model.subgraphs vector length → 0x7fffffff.
    const view = new DataView(bytes.buffer);
    const root = view.getUint32(0, true);
    const vtable = root - view.getInt32(root, true);
    const field = root + view.getUint16(vtable + 4 + 2 * 2, true);
    const vec = field + view.getUint32(field, true);
    view.setUint32(vec, 0x7fffffff, true);
    assert.throws(() => decodeTflite(bytes), /lies outside/);
  });
});
