import * as assert from 'assert';
import { crc32c, maskCrc, maskedCrc32c } from '../../src/core/warmup/maskedCrc32c';
import { encodeTfRecords, readTfRecords } from '../../src/core/warmup/tfRecord';

const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** tf.io.TFRecordWriter's bytes for the records b"hello" and b"" (TensorFlow 2.21). */
const TENSORFLOW_HELLO = '0500000000000000eab2043e68656c6c6fbb1f1c19000000000000000029039807d8ea82a2';

describe('warmup: TFRecord framing and masked CRC32C', () => {
  it('computes CRC32C (Castagnoli) and masks it as TensorFlow does', () => {
    assert.strictEqual(crc32c(bytes('123456789')).toString(16), 'e3069283'); // the standard check value
    assert.strictEqual(crc32c(new Uint8Array(32)).toString(16), '8a9136aa'); // RFC 3720 B.4: 32 bytes of zeros
    assert.strictEqual(maskCrc(0), 0xa282ead8);
    assert.strictEqual(maskedCrc32c(new Uint8Array(0)), 0xa282ead8);
  });

  it('writes the bytes tf.io.TFRecordWriter writes', () => {
    assert.strictEqual(hex(encodeTfRecords([bytes('hello'), new Uint8Array(0)])), TENSORFLOW_HELLO);
  });

  it('reads records back with their offsets', () => {
    const r = readTfRecords(Buffer.from(TENSORFLOW_HELLO, 'hex'));
    assert.deepStrictEqual(r.records.map((x) => [x.offset, new TextDecoder().decode(x.data)]), [[0, 'hello'], [21, '']]);
    assert.strictEqual(r.error, undefined);
    assert.strictEqual(readTfRecords(new Uint8Array(0)).records.length, 0);
  });

  it("fails as TensorFlow's RecordReader does: corrupted length, corrupted data, truncated data", () => {
    const good = encodeTfRecords([bytes('hello'), bytes('world!')]);
    const flip = (at: number) => { const b = good.slice(); b[at] ^= 1; return b; };
    const cases: [Uint8Array, number, string][] = [
      [flip(2), 0, 'corrupted record at 0 (Is this even a TFRecord file?)'],
      [flip(9), 0, 'corrupted record at 0 (Is this even a TFRecord file?)'],
      [flip(14), 0, 'corrupted record at 12'],
      [flip(19), 0, 'corrupted record at 12'],
      [flip(21 + 3), 1, 'corrupted record at 21'],
      [flip(21 + 13), 1, 'corrupted record at 33'],
      [good.subarray(0, 19), 0, "truncated record at 0' failed with Read less bytes than requested"],
      [good.subarray(0, good.length - 1), 1, "truncated record at 21' failed with Read less bytes than requested"],
    ];
    for (const [file, index, message] of cases) {
      const r = readTfRecords(file);
      assert.deepStrictEqual([r.records.length, r.error?.index, r.error?.message], [index, index, message]);
    }
  });

  it('reads a cut-off header as the end of the file, as RecordReader does, and says how many bytes it ignored', () => {
    const good = encodeTfRecords([bytes('hello'), bytes('world!')]);
    const r = readTfRecords(good.subarray(0, 21 + 5));
    assert.deepStrictEqual([r.records.length, r.error, r.ignoredTailBytes], [1, undefined, 5]);
  });

  it('stops at a limit', () => {
    const file = encodeTfRecords(Array.from({ length: 5 }, (_, i) => bytes(String(i))));
    assert.strictEqual(readTfRecords(file, 3).records.length, 3);
  });
});
