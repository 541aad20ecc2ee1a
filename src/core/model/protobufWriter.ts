// A minimal protobuf wire-format writer: the text-format path encodes what it parsed and reuses the binary
// decoder, and tests build precise (and precisely broken) messages with it.

import { WireType } from './protobufReader';

export class ProtobufWriter {
  private readonly chunks: number[] = [];

  private byte(b: number): void {
    this.chunks.push(b & 0xff);
  }

  /** Unsigned varint from a bigint (negative int64 values are written as their two's complement, 10 bytes). */
  varintBig(v: bigint): this {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
    return this;
  }

  varint(v: number): this {
    return this.varintBig(BigInt(v));
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** int32/int64/enum/uint fields. */
  int(field: number, v: number | bigint): this {
    return this.tag(field, WireType.varint).varintBig(BigInt(v));
  }

  bool(field: number, v: boolean): this {
    return this.int(field, v ? 1 : 0);
  }

  float(field: number, v: number): this {
    this.tag(field, WireType.fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    b.forEach((x) => this.byte(x));
    return this;
  }

  double(field: number, v: number): this {
    this.tag(field, WireType.fixed64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    b.forEach((x) => this.byte(x));
    return this;
  }

  bytes(field: number, v: Uint8Array): this {
    this.tag(field, WireType.lengthDelimited).varint(v.length);
    v.forEach((x) => this.byte(x));
    return this;
  }

  string(field: number, v: string): this {
    return this.bytes(field, new TextEncoder().encode(v));
  }

  message(field: number, build: (w: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Raw bytes appended as-is (for deliberately malformed test input). */
  raw(v: ArrayLike<number>): this {
    Array.from(v).forEach((x) => this.byte(x));
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
