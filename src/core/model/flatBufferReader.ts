// A small, bounds-checked FlatBuffers table reader (enough for TFLite's schema), written by hand.
// Every offset is checked against the buffer before it is followed, and vector lengths are checked against the
// bytes that remain, so truncated or random input throws FlatBufferDecodeError instead of reading garbage or hanging.
// Offsets may legally point at shared objects, so a hostile file could make a reader revisit the same bytes
// quadratically often; a work budget proportional to the file size stops that.

export class FlatBufferDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatBufferDecodeError';
  }
}

export class FlatBuffer {
  readonly view: DataView;
  private work = 0;
  private readonly workBudget: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Honest files visit each table, element and string byte about once; 4x the size leaves ample room.
    this.workBudget = 4 * bytes.length + 4096;
  }

  /** Charges `units` of decoding work (tables, vector elements, string bytes) against the file's budget. */
  spend(units: number): void {
    this.work += units;
    if (this.work > this.workBudget) {
      throw new FlatBufferDecodeError('the file references the same data far more often than a real model does');
    }
  }

  get length(): number {
    return this.bytes.length;
  }

  check(pos: number, size: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || size < 0 || pos + size > this.bytes.length) {
      throw new FlatBufferDecodeError(`${what} at byte ${pos} (+${size}) lies outside the ${this.bytes.length}-byte file`);
    }
  }

  u8(pos: number): number { this.check(pos, 1, 'uint8'); return this.view.getUint8(pos); }
  i8(pos: number): number { this.check(pos, 1, 'int8'); return this.view.getInt8(pos); }
  u16(pos: number): number { this.check(pos, 2, 'uint16'); return this.view.getUint16(pos, true); }
  i32(pos: number): number { this.check(pos, 4, 'int32'); return this.view.getInt32(pos, true); }
  u32(pos: number): number { this.check(pos, 4, 'uint32'); return this.view.getUint32(pos, true); }
  f32(pos: number): number { this.check(pos, 4, 'float32'); return this.view.getFloat32(pos, true); }
  i64(pos: number): bigint { this.check(pos, 8, 'int64'); return this.view.getBigInt64(pos, true); }
  u64(pos: number): bigint { this.check(pos, 8, 'uint64'); return this.view.getBigUint64(pos, true); }

  /** The root table (uoffset at byte 0). */
  root(): FlatTable {
    return new FlatTable(this, this.u32(0), 'root table');
  }

  /** The 4-byte file identifier at bytes 4..8, or '' when the file is too short. */
  identifier(): string {
    if (this.bytes.length < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }
}

/** Where a vector's elements start and how many there are. */
export interface FlatVector {
  readonly start: number;
  readonly length: number;
}

export class FlatTable {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    readonly fb: FlatBuffer,
    readonly pos: number,
    what: string,
  ) {
    fb.spend(1);
    fb.check(pos, 4, what);
    this.vtable = pos - fb.i32(pos);
    fb.check(this.vtable, 4, `${what} vtable`);
    this.vtableSize = fb.u16(this.vtable);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) throw new FlatBufferDecodeError(`${what} has a malformed vtable`);
    fb.check(this.vtable, this.vtableSize, `${what} vtable`);
  }

  /** Byte position of field `index` (schema declaration order; a union takes two slots), or 0 if absent. */
  private field(index: number): number {
    const slot = 4 + 2 * index;
    if (slot + 2 > this.vtableSize) return 0;
    const off = this.fb.u16(this.vtable + slot);
    return off === 0 ? 0 : this.pos + off;
  }

  has(index: number): boolean {
    return this.field(index) !== 0;
  }

  u8(index: number, dflt = 0): number { const p = this.field(index); return p ? this.fb.u8(p) : dflt; }
  i8(index: number, dflt = 0): number { const p = this.field(index); return p ? this.fb.i8(p) : dflt; }
  bool(index: number, dflt = false): boolean { const p = this.field(index); return p ? this.fb.u8(p) !== 0 : dflt; }
  i32(index: number, dflt = 0): number { const p = this.field(index); return p ? this.fb.i32(p) : dflt; }
  u32(index: number, dflt = 0): number { const p = this.field(index); return p ? this.fb.u32(p) : dflt; }
  u64(index: number, dflt = 0n): bigint { const p = this.field(index); return p ? this.fb.u64(p) : dflt; }

  /** Follows an offset field to its target position, or 0 if the field is absent. */
  private target(index: number, what: string): number {
    const p = this.field(index);
    if (!p) return 0;
    const t = p + this.fb.u32(p);
    this.fb.check(t, 4, what);
    return t;
  }

  string(index: number, what = 'string'): string | undefined {
    const t = this.target(index, what);
    if (!t) return undefined;
    const len = this.fb.u32(t);
    this.fb.check(t + 4, len, what);
    this.fb.spend(len);
    return utf8.decode(this.fb.bytes.subarray(t + 4, t + 4 + len));
  }

  table(index: number, what: string): FlatTable | undefined {
    const t = this.target(index, what);
    return t ? new FlatTable(this.fb, t, what) : undefined;
  }

  vector(index: number, elementSize: number, what: string): FlatVector | undefined {
    const t = this.target(index, what);
    if (!t) return undefined;
    const length = this.fb.u32(t);
    // Checking the whole extent up front also caps loop counts by the file size.
    this.fb.check(t + 4, length * elementSize, what);
    // Byte vectors are returned as ranges, never walked, so they cost one unit.
    this.fb.spend(elementSize === 1 ? 1 : length);
    return { start: t + 4, length };
  }

  tables(index: number, what: string): FlatTable[] {
    const v = this.vector(index, 4, what);
    if (!v) return [];
    const out: FlatTable[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      out.push(new FlatTable(this.fb, p + this.fb.u32(p), `${what}[${i}]`));
    }
    return out;
  }

  i32s(index: number, what: string): number[] {
    const v = this.vector(index, 4, what);
    return v ? Array.from({ length: v.length }, (_, i) => this.fb.i32(v.start + 4 * i)) : [];
  }

  f32s(index: number, what: string): number[] {
    const v = this.vector(index, 4, what);
    return v ? Array.from({ length: v.length }, (_, i) => this.fb.f32(v.start + 4 * i)) : [];
  }

  i64s(index: number, what: string): bigint[] {
    const v = this.vector(index, 8, what);
    return v ? Array.from({ length: v.length }, (_, i) => this.fb.i64(v.start + 8 * i)) : [];
  }
}

const utf8 = new TextDecoder('utf-8');
