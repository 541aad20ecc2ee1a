// Parses protobuf text format (what saved_model.pbtxt holds) into a schema-free tree of named fields.
// Schema-free on purpose: unknown fields, extensions and Any expansions are parsed and can simply be ignored.

export class ProtobufTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufTextError';
  }
}

/** A scalar as written: quoted strings keep their decoded bytes; everything else keeps its token text. */
export type TextScalar = { readonly kind: 'string'; readonly bytes: Uint8Array } | { readonly kind: 'token'; readonly text: string };

export interface TextMessage {
  readonly fields: [name: string, value: TextScalar | TextMessage][];
}

export function isTextMessage(v: TextScalar | TextMessage): v is TextMessage {
  return 'fields' in v;
}

export function parseProtobufText(text: string): TextMessage {
  const p = new Parser(text);
  const msg = p.message(undefined, 0);
  return msg;
}

const maxDepth = 100;

class Parser {
  private pos = 0;

  constructor(private readonly s: string) {}

  private fail(what: string): never {
    const line = this.s.slice(0, this.pos).split('\n').length;
    throw new ProtobufTextError(`text format: ${what} on line ${line}`);
  }

  private skipSpace(): void {
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '#') {
        while (this.pos < this.s.length && this.s[this.pos] !== '\n') this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else break;
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.s[this.pos] ?? '';
  }

  private eat(c: string): boolean {
    if (this.peek() === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  message(close: string | undefined, depth: number): TextMessage {
    if (depth > maxDepth) this.fail(`nesting deeper than ${maxDepth} levels`);
    const fields: TextMessage['fields'] = [];
    for (;;) {
      const c = this.peek();
      if (c === '') {
        if (close) this.fail(`missing "${close}"`);
        return { fields };
      }
      if (close && c === close) {
        this.pos++;
        return { fields };
      }
      const name = this.fieldName();
      const colon = this.eat(':');
      const next = this.peek();
      if (next === '{' || next === '<') {
        this.pos++;
        fields.push([name, this.message(next === '{' ? '}' : '>', depth + 1)]);
      } else if (!colon) this.fail(`expected ":" after field "${name}"`);
      else if (next === '[') {
        this.pos++;
        if (!this.eat(']')) {
          do {
            const v = this.peek();
            if (v === '{' || v === '<') {
              this.pos++;
              fields.push([name, this.message(v === '{' ? '}' : '>', depth + 1)]);
            } else fields.push([name, this.scalar()]);
          } while (this.eat(','));
          if (!this.eat(']')) this.fail('expected "]"');
        }
      } else fields.push([name, this.scalar()]);
      // Separators between fields are optional.
      if (!this.eat(',')) this.eat(';');
    }
  }

  private fieldName(): string {
    if (this.eat('[')) {
      // Extension or Any type URL: [pkg.ext] or [type.googleapis.com/pkg.Msg]
      const start = this.pos;
      while (this.pos < this.s.length && this.s[this.pos] !== ']') this.pos++;
      if (this.pos >= this.s.length) this.fail('unterminated "["');
      return `[${this.s.slice(start, this.pos++).trim()}]`;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos, this.pos + 256));
    if (!m) this.fail(`expected a field name, found "${this.s.slice(this.pos, this.pos + 10)}"`);
    this.pos += m[0].length;
    return m[0];
  }

  private scalar(): TextScalar {
    const c = this.peek();
    if (c === '"' || c === "'") {
      const parts: number[] = [];
      // Adjacent string literals concatenate.
      while (this.peek() === '"' || this.peek() === "'") parts.push(...this.quoted());
      return { kind: 'string', bytes: Uint8Array.from(parts) };
    }
    const m = /^[-+]?[A-Za-z0-9_.+-]+/.exec(this.s.slice(this.pos, this.pos + 512));
    if (!m) this.fail(`expected a value, found "${this.s.slice(this.pos, this.pos + 10)}"`);
    this.pos += m[0].length;
    return { kind: 'token', text: m[0] };
  }

  private quoted(): number[] {
    const q = this.s[this.pos++];
    const out: number[] = [];
    const enc = new TextEncoder();
    for (;;) {
      if (this.pos >= this.s.length || this.s[this.pos] === '\n') this.fail('unterminated string');
      const c = this.s[this.pos++];
      if (c === q) return out;
      if (c !== '\\') {
        // Keep the source's UTF-8 bytes for non-ASCII text.
        const cp = this.s.codePointAt(this.pos - 1)!;
        if (cp > 0xffff) this.pos++;
        out.push(...enc.encode(String.fromCodePoint(cp)));
        continue;
      }
      const e = this.s[this.pos++];
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
      if (e in simple) out.push(simple[e]);
      else if (e >= '0' && e <= '7') {
        let v = Number(e);
        for (let i = 0; i < 2 && /[0-7]/.test(this.s[this.pos] ?? ''); i++) v = v * 8 + Number(this.s[this.pos++]);
        out.push(v & 0xff);
      } else if (e === 'x' || e === 'X') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(this.s.slice(this.pos, this.pos + 2));
        if (!m) this.fail('bad \\x escape');
        this.pos += m[0].length;
        out.push(parseInt(m[0], 16));
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const hex = this.s.slice(this.pos, this.pos + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail('bad unicode escape');
        this.pos += n;
        out.push(...enc.encode(String.fromCodePoint(parseInt(hex, 16))));
      } else this.fail(`unknown escape "\\${e ?? ''}"`);
    }
  }
}
