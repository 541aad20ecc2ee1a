// Reads the one FlexBuffers shape TFLite metadata uses for signatures: a map from string keys to string/blob
// values (TFLite's signature_def_util stores each serialized SignatureDef under its key this way).
// Bounds-checked; anything else throws FlexBufferDecodeError.

export class FlexBufferDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlexBufferDecodeError';
  }
}

// FlexBuffers value types used here.
const typeString = 5;
const typeMap = 9;
const typeBlob = 25;

export function readFlexStringMap(bytes: Uint8Array): Map<string, Uint8Array> {
  const len = bytes.length;
  const uint = (pos: number, width: number): number => {
    if (pos < 0 || pos + width > len || ![1, 2, 4, 8].includes(width)) {
      throw new FlexBufferDecodeError(`FlexBuffer read of ${width} bytes at ${pos} is outside the ${len}-byte buffer`);
    }
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = v * 256 + bytes[pos + i];
    if (!Number.isSafeInteger(v)) throw new FlexBufferDecodeError('FlexBuffer offset out of range');
    return v;
  };
  if (len < 3) throw new FlexBufferDecodeError('FlexBuffer too short');
  const rootWidth = bytes[len - 1];
  const rootPacked = bytes[len - 2];
  const rootPos = len - 2 - rootWidth;
  if (rootPacked >> 2 !== typeMap) throw new FlexBufferDecodeError(`FlexBuffer root is type ${rootPacked >> 2}, not a map`);
  const map = rootPos - uint(rootPos, rootWidth);
  const w = 1 << (rootPacked & 3);
  const count = uint(map - w, w);
  const keysWidth = uint(map - 2 * w, w);
  const keysAt = map - 3 * w;
  const keys = keysAt - uint(keysAt, w);
  if (count * w + count > len - map || count * keysWidth > len) throw new FlexBufferDecodeError('FlexBuffer map runs past the end');
  const out = new Map<string, Uint8Array>();
  // Keys may share bytes; cap the total scanning so a hostile map cannot cost quadratic time.
  let scanned = 0;
  for (let i = 0; i < count; i++) {
    const kp = keys + i * keysWidth;
    const keyStart = kp - uint(kp, keysWidth);
    if (keyStart < 0 || keyStart >= len) throw new FlexBufferDecodeError('FlexBuffer key outside the buffer');
    let keyEnd = keyStart;
    while (keyEnd < len && bytes[keyEnd] !== 0) keyEnd++;
    scanned += keyEnd - keyStart + 1;
    if (scanned > 4 * len + 1024) throw new FlexBufferDecodeError('FlexBuffer keys overlap far more than a real file');
    if (keyEnd >= len) throw new FlexBufferDecodeError('FlexBuffer key is not terminated');
    const packed = uint(map + count * w + i, 1);
    const type = packed >> 2;
    if (type !== typeString && type !== typeBlob) throw new FlexBufferDecodeError(`FlexBuffer value type ${type} is not a string or blob`);
    const vp = map + i * w;
    const data = vp - uint(vp, w);
    const sizeWidth = 1 << (packed & 3);
    const size = uint(data - sizeWidth, sizeWidth);
    if (data < 0 || data + size > len) throw new FlexBufferDecodeError('FlexBuffer value runs past the end');
    out.set(utf8.decode(bytes.subarray(keyStart, keyEnd)), bytes.subarray(data, data + size));
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');
