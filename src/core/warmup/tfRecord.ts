// TFRecord framing: each record is length (uint64 LE), masked CRC32C of those 8 bytes (uint32 LE), the data, and
// the masked CRC32C of the data (uint32 LE). Reading stops at the first bad record and says why in the words of
// TensorFlow's RecordReader (tensorflow/core/lib/io/record_reader.cc), which is what TF Serving reports.
import { maskedCrc32c } from './maskedCrc32c';

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

export function encodeTfRecords(records: readonly Uint8Array[]): Uint8Array {
  const total = records.reduce((n, r) => n + HEADER_BYTES + r.length + FOOTER_BYTES, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const record of records) {
    view.setBigUint64(at, BigInt(record.length), true);
    view.setUint32(at + 8, maskedCrc32c(out.subarray(at, at + 8)), true);
    out.set(record, at + HEADER_BYTES);
    view.setUint32(at + HEADER_BYTES + record.length, maskedCrc32c(record), true);
    at += HEADER_BYTES + record.length + FOOTER_BYTES;
  }
  return out;
}

export interface TfRecord {
  /** Byte offset of the record's header in the file. */
  readonly offset: number;
  readonly data: Uint8Array;
}

export interface TfRecordError {
  /** Index of the record that could not be read (0-based). */
  readonly index: number;
  /** Byte offset of that record's header. */
  readonly offset: number;
  readonly kind: 'truncated' | 'corrupted';
  /** Which part: the 12-byte length header or the data with its CRC. */
  readonly part: 'length' | 'data';
  /** RecordReader's DataLoss message, e.g. "corrupted record at 12". */
  readonly message: string;
}

export interface TfRecordReading {
  readonly records: TfRecord[];
  /** The first record that could not be read; reading stopped there. */
  readonly error?: TfRecordError;
  /** Bytes after the last record too short for a header: RecordReader takes them as the end of the file. */
  readonly ignoredTailBytes: number;
}

/** RecordReader's DataLoss text for each failure (TensorFlow 2.21, checked against tf.data.TFRecordDataset). */
function recordReaderMessage(kind: TfRecordError['kind'], part: TfRecordError['part'], offset: number): string {
  if (kind === 'truncated') return `truncated record at ${offset}' failed with Read less bytes than requested`;
  if (part === 'data') return `corrupted record at ${offset + HEADER_BYTES}`;
  return `corrupted record at ${offset}${offset === 0 ? ' (Is this even a TFRecord file?)' : ''}`;
}

/** Reads at most `limit` records (reading the rest is pointless once a caller has refused the file). */
export function readTfRecords(bytes: Uint8Array, limit = Number.POSITIVE_INFINITY): TfRecordReading {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: TfRecord[] = [];
  let at = 0;
  const fail = (kind: TfRecordError['kind'], part: TfRecordError['part']): TfRecordReading => ({
    records,
    error: { index: records.length, offset: at, kind, part, message: recordReaderMessage(kind, part, at) },
    ignoredTailBytes: 0,
  });
  while (at < bytes.length && records.length < limit) {
    // A cut-off header reads as end of file in RecordReader (ReadNBytes' OUT_OF_RANGE), not as an error.
    if (bytes.length - at < HEADER_BYTES) return { records, ignoredTailBytes: bytes.length - at };
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) return fail('corrupted', 'length');
    const length = view.getBigUint64(at, true);
    const dataAt = at + HEADER_BYTES;
    if (length > BigInt(bytes.length - dataAt - FOOTER_BYTES)) return fail('truncated', 'data');
    const data = bytes.subarray(dataAt, dataAt + Number(length));
    if (view.getUint32(dataAt + data.length, true) !== maskedCrc32c(data)) return fail('corrupted', 'data');
    records.push({ offset: at, data });
    at = dataAt + data.length + FOOTER_BYTES;
  }
  return { records, ignoredTailBytes: 0 };
}
