// CRC32C (Castagnoli) as TFRecord files carry it: masked, so a CRC stored inside CRC'd data does not checksum to a
// constant. The CRC itself comes from SheetJS' crc-32 (pure JS, no native build; ~300 MB/s here, 8× the AWS SDK's
// @aws-crypto/crc32c — bench/ measures both).
import * as CRC32C from 'crc-32/crc32c';

/** TensorFlow's kMaskDelta (tensorflow/core/lib/hash/crc32c.h). */
const MASK_DELTA = 0xa282ead8;

export function crc32c(bytes: Uint8Array): number {
  return CRC32C.buf(bytes) >>> 0;
}

/** Rotate right by 15 bits and add the delta, as TensorFlow's crc32c::Mask does. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc32c(bytes));
}
