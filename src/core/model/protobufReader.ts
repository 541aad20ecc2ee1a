// A small, bounds-checked reader for the protobuf wire format. Written by hand so the extension and the CLI
// can read saved_model.pb without Python or a protobuf runtime. Every read checks the end of its window first,
// and every loop consumes at least one byte per turn, so truncated or random input throws, never hangs.

/** The bytes are not a well-formed protobuf message (or not the message we expected). */
export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

/** Protobuf's own default nesting limit; deeper input is rejected instead of exhausting the stack. */
export const maxNestingDepth = 100;

export interface FieldTag {
  readonly field: number;
  readonly wireType: number;
}

export class ProtobufReader {
  private pos: number;
  private readonly view: DataView;

  /** Reads `bytes[start, end)`; `depth` counts enclosing messages. */
  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
    readonly depth = 0,
    view?: DataView,
  ) {
    if (start < 0 || end > bytes.length || start > end) throw new ProtobufDecodeError('invalid protobuf window');
    if (depth > maxNestingDepth) throw new ProtobufDecodeError(`protobuf nesting deeper than ${maxNestingDepth} levels`);
    this.pos = start;
    // Embedded-message readers share their parent's view: one DataView per file, not per message.
    this.view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw new ProtobufDecodeError(`truncated protobuf: ${what} at byte ${this.pos} needs ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  /** Reads a varint as two unsigned 32-bit halves (exact for all 64-bit values). */
  private varintParts(): [lo: number, hi: number] {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufDecodeError(`truncated protobuf: varint at byte ${start} runs past the end`);
      const b = this.bytes[this.pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if ((b & 0x80) === 0) return [lo >>> 0, hi >>> 0];
    }
    throw new ProtobufDecodeError(`malformed protobuf: varint at byte ${start} is longer than 10 bytes`);
  }

  readTag(): FieldTag {
    const at = this.pos;
    const [lo, hi] = this.varintParts();
    const field = lo >>> 3;
    const wireType = lo & 7;
    if (hi !== 0 || field === 0 || wireType > 5) {
      throw new ProtobufDecodeError(`malformed protobuf: invalid field tag at byte ${at}`);
    }
    return { field, wireType };
  }

  /** uint64 / int64 as an exact bigint (int64 when `signed`). */
  readVarintBig(signed = false): bigint {
    const [lo, hi] = this.varintParts();
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    return signed ? BigInt.asIntN(64, v) : v;
  }

  /** int64 as a JS number; values outside the safe-integer range are rejected rather than silently rounded. */
  readInt64(): number {
    const at = this.pos;
    const v = this.readVarintBig(true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProtobufDecodeError(`int64 at byte ${at} is outside the range this reader represents exactly`);
    }
    return Number(v);
  }

  /** uint64 as a JS number (safe range only). */
  readUint64(): number {
    const at = this.pos;
    const v = this.readVarintBig(false);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ProtobufDecodeError(`uint64 at byte ${at} is outside the range this reader represents exactly`);
    }
    return Number(v);
  }

  /** int32 and enums: negative values arrive sign-extended to 64 bits; the low 32 bits are the value. */
  readInt32(): number {
    return this.varintParts()[0] | 0;
  }

  readUint32(): number {
    return this.varintParts()[0];
  }

  readBool(): boolean {
    const [lo, hi] = this.varintParts();
    return lo !== 0 || hi !== 0;
  }

  readFixed32(): number {
    this.need(4, 'fixed32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readFloat(): number {
    this.need(4, 'float');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readDouble(): number {
    this.need(8, 'double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readFixed64Big(signed = false): bigint {
    this.need(8, 'fixed64');
    const v = signed ? this.view.getBigInt64(this.pos, true) : this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Start and end of a length-delimited field's payload; advances past it. */
  readLengthDelimited(): [start: number, end: number] {
    const at = this.pos;
    const [lo, hi] = this.varintParts();
    if (hi !== 0 || lo > this.end - this.pos) {
      throw new ProtobufDecodeError(`truncated protobuf: length-delimited field at byte ${at} claims more bytes than remain`);
    }
    const start = this.pos;
    this.pos += lo;
    return [start, this.pos];
  }

  readBytes(): Uint8Array {
    const [start, end] = this.readLengthDelimited();
    return this.bytes.subarray(start, end);
  }

  readString(): string {
    return utf8.decode(this.readBytes());
  }

  /** A reader over an embedded message. */
  readMessage(): ProtobufReader {
    const [start, end] = this.readLengthDelimited();
    return new ProtobufReader(this.bytes, start, end, this.depth + 1, this.view);
  }

  /**
   * Repeated scalar fields may arrive packed (one length-delimited run) or one value per tag; both are accepted.
   * `readOne` reads one value from the given reader.
   */
  readRepeated<T>(wireType: number, scalarWireType: number, readOne: (r: ProtobufReader) => T, into: T[]): void {
    if (wireType === WireType.lengthDelimited && scalarWireType !== WireType.lengthDelimited) {
      const packed = this.readMessage();
      while (!packed.done) into.push(readOne(packed));
      return;
    }
    if (wireType !== scalarWireType) throw new ProtobufDecodeError(`unexpected wire type ${wireType} for a repeated field`);
    into.push(readOne(this));
  }

  /** Skips one field's value, including (possibly nested) groups. */
  skipField(tag: FieldTag): void {
    switch (tag.wireType) {
      case WireType.varint:
        this.varintParts();
        return;
      case WireType.fixed64:
        this.need(8, 'fixed64');
        this.pos += 8;
        return;
      case WireType.lengthDelimited:
        this.readLengthDelimited();
        return;
      case WireType.fixed32:
        this.need(4, 'fixed32');
        this.pos += 4;
        return;
      case WireType.startGroup:
        this.skipGroup(tag.field);
        return;
      default:
        throw new ProtobufDecodeError(`malformed protobuf: unexpected end-group tag for field ${tag.field}`);
    }
  }

  // Iterative, so hostile nesting costs an array entry, not a stack frame.
  private skipGroup(field: number): void {
    const open = [field];
    while (open.length > 0) {
      const t = this.readTag();
      if (t.wireType === WireType.endGroup) {
        if (t.field !== open[open.length - 1]) throw new ProtobufDecodeError(`malformed protobuf: mismatched end-group for field ${t.field}`);
        open.pop();
      } else if (t.wireType === WireType.startGroup) {
        if (open.length + this.depth >= maxNestingDepth) throw new ProtobufDecodeError(`protobuf nesting deeper than ${maxNestingDepth} levels`);
        open.push(t.field);
      } else this.skipField(t);
    }
  }

  /** Asserts the wire type a known field must have, so a foreign message fails loudly instead of decoding nonsense. */
  expect(tag: FieldTag, wireType: number, fieldName: string): void {
    if (tag.wireType !== wireType) {
      throw new ProtobufDecodeError(`field ${fieldName} (#${tag.field}) has wire type ${tag.wireType}, expected ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder('utf-8');
