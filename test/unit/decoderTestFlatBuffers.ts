// Builds small FlatBuffers for decoder tests: tables are laid out front to back, each child after its parent,
// so every uoffset is positive, as the format requires.

export type FbField =
  | { readonly t: 'i8' | 'u8' | 'bool'; readonly v: number }
  | { readonly t: 'i32' | 'u32'; readonly v: number }
  | { readonly t: 'u64'; readonly v: bigint }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'table'; readonly v: FbTable }
  | { readonly t: 'tables'; readonly v: FbTable[] }
  | { readonly t: 'i32s' | 'f32s'; readonly v: number[] }
  | { readonly t: 'i64s'; readonly v: bigint[] }
  | { readonly t: 'bytes'; readonly v: Uint8Array };

/** Fields by schema slot index; undefined slots are absent. */
export type FbTable = (FbField | undefined)[];

export function buildFlatBuffer(root: FbTable, identifier = 'TFL3'): Uint8Array {
  const b = new Builder();
  b.u32(0); // root offset, patched below
  for (const c of identifier) b.bytes([c.charCodeAt(0)]);
  b.patchOffset(0, b.table(root));
  return Uint8Array.from(b.buf);
}

class Builder {
  buf: number[] = [];

  align(n: number): void {
    while (this.buf.length % n) this.buf.push(0);
  }
  bytes(v: ArrayLike<number>): void {
    for (let i = 0; i < v.length; i++) this.buf.push(v[i] & 0xff);
  }
  private le(v: bigint, size: number): void {
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++) {
      this.buf.push(Number(x & 0xffn));
      x >>= 8n;
    }
  }
  u32(v: number): void {
    this.le(BigInt(v), 4);
  }
  setLe(pos: number, v: number, size: number): void {
    let x = BigInt.asUintN(size * 8, BigInt(v));
    for (let i = 0; i < size; i++) {
      this.buf[pos + i] = Number(x & 0xffn);
      x >>= 8n;
    }
  }
  patchOffset(at: number, target: number): void {
    this.setLe(at, target - at, 4);
  }

  table(fields: FbTable): number {
    this.align(4);
    const vtable = this.buf.length;
    const vtSize = 4 + 2 * fields.length;
    this.bytes(new Array(vtSize).fill(0));
    this.align(4);
    const table = this.buf.length;
    this.u32(table - vtable); // soffset: vtable = table - soffset
    const children: [number, () => number][] = [];
    fields.forEach((f, i) => {
      if (!f) return;
      const size = f.t === 'i8' || f.t === 'u8' || f.t === 'bool' ? 1 : f.t === 'u64' ? 8 : 4;
      this.align(size);
      const at = this.buf.length;
      this.setLe(vtable + 4 + 2 * i, at - table, 2);
      if (f.t === 'u64') this.le(f.v, 8);
      else if (size === 1 || f.t === 'i32' || f.t === 'u32') this.le(BigInt(f.v as number), size);
      else {
        this.u32(0);
        children.push([at, () => this.child(f)]);
      }
    });
    this.setLe(vtable, vtSize, 2);
    this.setLe(vtable + 2, this.buf.length - table, 2);
    for (const [at, emit] of children) this.patchOffset(at, emit());
    return table;
  }

  private child(f: FbField): number {
    this.align(8);
    switch (f.t) {
      case 'string': {
        const enc = new TextEncoder().encode(f.v);
        const at = this.buf.length;
        this.u32(enc.length);
        this.bytes(enc);
        this.bytes([0]);
        return at;
      }
      case 'bytes': {
        const at = this.buf.length;
        this.u32(f.v.length);
        this.bytes(f.v);
        return at;
      }
      case 'i32s':
      case 'f32s': {
        const at = this.buf.length;
        this.u32(f.v.length);
        for (const x of f.v) {
          if (f.t === 'i32s') this.le(BigInt(x), 4);
          else {
            const d = new DataView(new ArrayBuffer(4));
            d.setFloat32(0, x, true);
            this.bytes(new Uint8Array(d.buffer));
          }
        }
        return at;
      }
      case 'i64s': {
        this.align(8);
        // The length sits just before 8-aligned elements.
        this.u32(0);
        const at = this.buf.length;
        this.u32(f.v.length);
        for (const x of f.v) this.le(x, 8);
        return at;
      }
      case 'table':
        return this.table(f.v);
      case 'tables': {
        const at = this.buf.length;
        this.u32(f.v.length);
        const slots = f.v.map(() => {
          const s = this.buf.length;
          this.u32(0);
          return s;
        });
        // The same table object repeated in one vector is emitted once and shared, as FlatBuffers allows.
        const emitted = new Map<FbTable, number>();
        f.v.forEach((t, i) => {
          if (!emitted.has(t)) emitted.set(t, this.table(t));
          this.patchOffset(slots[i], emitted.get(t)!);
        });
        return at;
      }
      default:
        throw new Error(`not an offset field: ${f.t}`);
    }
  }
}

export const fb = {
  i8: (v: number): FbField => ({ t: 'i8', v }),
  bool: (v: boolean): FbField => ({ t: 'bool', v: v ? 1 : 0 }),
  i32: (v: number): FbField => ({ t: 'i32', v }),
  u32: (v: number): FbField => ({ t: 'u32', v }),
  u64: (v: bigint): FbField => ({ t: 'u64', v }),
  str: (v: string): FbField => ({ t: 'string', v }),
  table: (v: FbTable): FbField => ({ t: 'table', v }),
  tables: (v: FbTable[]): FbField => ({ t: 'tables', v }),
  i32s: (v: number[]): FbField => ({ t: 'i32s', v }),
  f32s: (v: number[]): FbField => ({ t: 'f32s', v }),
  i64s: (v: bigint[]): FbField => ({ t: 'i64s', v }),
  bytes: (v: Uint8Array): FbField => ({ t: 'bytes', v }),
};
