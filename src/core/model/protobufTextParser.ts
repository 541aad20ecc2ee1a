// Parses protobuf text format (what saved_model.pbtxt holds) into a tree of named fields. Given a field filter,
// fields the caller does not want are skipped by a scanner that builds nothing (a 25 MB graph is mostly tensor
// bytes nobody reads), and kept strings are decoded with a byte buffer, not per character.

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

/**
 * Which fields to keep: given the enclosing message's type (undefined at the root: `rootType`) and a field name,
 * the field's type name (passed down for nested messages), or undefined to skip the field.
 */
export type FieldFilter = (messageType: string, field: string) => string | undefined;

export function parseProtobufText(text: string, filter?: FieldFilter, rootType = ''): TextMessage {
  return new Parser(text, filter).message(-1, 0, rootType);
}

const maxDepth = 100;
const fieldNamePattern = /[A-Za-z_][A-Za-z0-9_]*/y;
const tokenPattern = /[-+]?[A-Za-z0-9_.+-]+/y;
const simpleEscapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };

const OPEN_BRACE = 123, CLOSE_BRACE = 125, OPEN_ANGLE = 60, CLOSE_ANGLE = 62, OPEN_BRACKET = 91, CLOSE_BRACKET = 93;
const COLON = 58, COMMA = 44, SEMI = 59, HASH = 35, DQUOTE = 34, SQUOTE = 39, BACKSLASH = 92, NEWLINE = 10;

/** A growable byte buffer for decoded strings. */
class Bytes {
  private buf = new Uint8Array(256);
  length = 0;
  push(b: number): void {
    if (this.length === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = b;
  }
  pushAll(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.push(bytes[i]);
  }
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

class Parser {
  private pos = 0;
  private readonly bytes = new Bytes();

  constructor(private readonly s: string, private readonly filter?: FieldFilter) {}

  private fail(what: string): never {
    let line = 1;
    for (let i = 0; i < this.pos && i < this.s.length; i++) if (this.s.charCodeAt(i) === NEWLINE) line++;
    throw new ProtobufTextError(`text format: ${what} on line ${line}`);
  }

  /** Skips blanks and # comments; returns the next character code (-1 at the end). */
  private peek(): number {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === HASH) {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
      } else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) this.pos++;
      else return Number.isNaN(c) ? -1 : c;
    }
  }

  private eat(c: number): boolean {
    if (this.peek() === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Fields until `close` (a character code, -1 for the end of the text). */
  message(close: number, depth: number, type: string): TextMessage {
    if (depth > maxDepth) this.fail(`nesting deeper than ${maxDepth} levels`);
    const fields: TextMessage['fields'] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1) {
        if (close !== -1) this.fail(`missing "${String.fromCharCode(close)}"`);
        return { fields };
      }
      if (c === close) {
        this.pos++;
        return { fields };
      }
      const name = this.fieldName();
      const fieldType = this.filter ? this.filter(type, name) : '';
      const colon = this.eat(COLON);
      const next = this.peek();
      const opensMessage = next === OPEN_BRACE || next === OPEN_ANGLE;
      if (!opensMessage && !colon) this.fail(`expected ":" after field "${name}"`);
      if (!opensMessage && next === OPEN_BRACKET) {
        this.pos++;
        if (!this.eat(CLOSE_BRACKET)) {
          do this.value(name, fieldType, depth, fields);
          while (this.eat(COMMA));
          if (!this.eat(CLOSE_BRACKET)) this.fail('expected "]"');
        }
      } else this.value(name, fieldType, depth, fields);
      // Separators between fields are optional.
      if (!this.eat(COMMA)) this.eat(SEMI);
    }
  }

  /** One value of a field: a message or a scalar, kept in `fields` or skipped (fieldType undefined). */
  private value(name: string, fieldType: string | undefined, depth: number, fields: TextMessage['fields']): void {
    const c = this.peek();
    if (c === OPEN_BRACE || c === OPEN_ANGLE) {
      this.pos++;
      const end = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_ANGLE;
      if (fieldType === undefined) this.skipMessage(end, depth + 1);
      else fields.push([name, this.message(end, depth + 1, fieldType)]);
    } else if (fieldType === undefined) this.skipScalar();
    else fields.push([name, this.scalar()]);
  }

  /** Skips a message body up to its `close`, checking only what keeps the scan in step: strings, nesting, comments. */
  private skipMessage(close: number, depth: number): void {
    const s = this.s;
    const stack: number[] = [close];
    let i = this.pos;
    while (stack.length) {
      if (i >= s.length) {
        this.pos = i;
        this.fail(`missing "${String.fromCharCode(stack[stack.length - 1])}"`);
      }
      const c = s.charCodeAt(i++);
      if (c === DQUOTE || c === SQUOTE) {
        this.pos = i;
        this.skipQuoted(c);
        i = this.pos;
      } else if (c === HASH) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length : nl;
      } else if (c === OPEN_BRACE || c === OPEN_ANGLE) {
        stack.push(c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_ANGLE);
        if (depth + stack.length > maxDepth + 1) {
          this.pos = i;
          this.fail(`nesting deeper than ${maxDepth} levels`);
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_ANGLE) {
        if (c !== stack.pop()) {
          this.pos = i - 1;
          this.fail(`unexpected "${String.fromCharCode(c)}"`);
        }
      }
    }
    this.pos = i;
  }

  private skipScalar(): void {
    const c = this.peek();
    if (c === DQUOTE || c === SQUOTE) {
      while (this.peek() === DQUOTE || this.peek() === SQUOTE) this.skipQuoted(this.s.charCodeAt(this.pos++));
      return;
    }
    this.token();
  }

  /** Moves past a string whose opening quote was just consumed. */
  private skipQuoted(q: number): void {
    const s = this.s;
    for (let i = this.pos; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === q) {
        this.pos = i + 1;
        return;
      } else if (c === NEWLINE) break;
    }
    this.fail('unterminated string');
  }

  private fieldName(): string {
    if (this.eat(OPEN_BRACKET)) {
      // Extension or Any type URL: [pkg.ext] or [type.googleapis.com/pkg.Msg]
      const end = this.s.indexOf(']', this.pos);
      if (end < 0) this.fail('unterminated "["');
      const name = `[${this.s.slice(this.pos, end).trim()}]`;
      this.pos = end + 1;
      return name;
    }
    fieldNamePattern.lastIndex = this.pos;
    const m = fieldNamePattern.exec(this.s);
    if (!m) this.fail(`expected a field name, found "${this.s.slice(this.pos, this.pos + 10)}"`);
    this.pos = fieldNamePattern.lastIndex;
    return m[0];
  }

  private token(): string {
    tokenPattern.lastIndex = this.pos;
    const m = tokenPattern.exec(this.s);
    if (!m) this.fail(`expected a value, found "${this.s.slice(this.pos, this.pos + 10)}"`);
    this.pos = tokenPattern.lastIndex;
    return m[0];
  }

  private scalar(): TextScalar {
    const c = this.peek();
    if (c === DQUOTE || c === SQUOTE) {
      // Adjacent string literals concatenate.
      while (this.peek() === DQUOTE || this.peek() === SQUOTE) this.quoted();
      return { kind: 'string', bytes: this.bytes.take() };
    }
    return { kind: 'token', text: this.token() };
  }

  /** Decodes one quoted string into this.bytes (the source's UTF-8 bytes for non-ASCII text). */
  private quoted(): void {
    const s = this.s;
    const q = s.charCodeAt(this.pos++);
    const out = this.bytes;
    let runStart = this.pos;
    const flushRun = (end: number) => {
      if (end > runStart) out.pushAll(Buffer.from(s.slice(runStart, end), 'utf8'));
    };
    for (;;) {
      if (this.pos >= s.length || s.charCodeAt(this.pos) === NEWLINE) this.fail('unterminated string');
      const c = s.charCodeAt(this.pos);
      if (c === q) {
        flushRun(this.pos);
        this.pos++;
        return;
      }
      if (c !== BACKSLASH) {
        this.pos++;
        continue;
      }
      flushRun(this.pos);
      const e = s[this.pos + 1];
      this.pos += 2;
      if (e in simpleEscapes) out.push(simpleEscapes[e]);
      else if (e >= '0' && e <= '7') {
        let v = e.charCodeAt(0) - 48;
        for (let i = 0; i < 2; i++) {
          const d = s.charCodeAt(this.pos);
          if (d < 48 || d > 55) break;
          v = v * 8 + (d - 48);
          this.pos++;
        }
        out.push(v & 0xff);
      } else if (e === 'x' || e === 'X') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(this.pos, this.pos + 2));
        if (!m) this.fail('bad \\x escape');
        this.pos += m[0].length;
        out.push(parseInt(m[0], 16));
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const hex = s.slice(this.pos, this.pos + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail('bad unicode escape');
        this.pos += n;
        out.pushAll(Buffer.from(String.fromCodePoint(parseInt(hex, 16)), 'utf8'));
      } else this.fail(`unknown escape "\\${e ?? ''}"`);
      runStart = this.pos;
    }
  }
}
