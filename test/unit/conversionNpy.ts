// Writes .npy files byte for byte as numpy.save does (format 1.0), for sample-input tests without numpy.

/** numpy.save's layout: magic, version 1.0, little-endian header length, header padded with spaces to 64 bytes. */
export function npy(descr: string, shape: number[], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** float32 values, little-endian. */
export function npyFloat32(shape: number[], values: number[]): Uint8Array {
  const data = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(data.buffer).setFloat32(i * 4, v, true));
  return npy('<f4', shape, data);
}
