// Tokenizer for protobuf text format: identifiers, numbers, quoted strings, punctuation; `#` comments skipped.
export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'error';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Decoded value of a string token. */
  value?: string;
}

const punct = new Set(['{', '}', '<', '>', ':', '[', ']', ',', ';', '-', '/', '.']);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i])) {
        // Exponent sign: 1e-5
        if ((text[i] === 'e' || text[i] === 'E') && (text[i + 1] === '-' || text[i + 1] === '+') && !/^0[xX]/.test(text.slice(start, i))) i += 2;
        else i++;
      }
      out.push({ kind: 'number', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let value = '';
      let closed = false;
      while (i < text.length && text[i] !== '\n') {
        const ch = text[i];
        if (ch === c) { closed = true; i++; break; }
        if (ch === '\\') {
          const n = text[i + 1];
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '?': '?' };
          if (n !== undefined && simple[n] !== undefined) { value += simple[n]; i += 2; continue; }
          const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1));
          if (oct) { value += String.fromCharCode(parseInt(oct[0], 8)); i += 1 + oct[0].length; continue; }
          const hex = /^x[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 1));
          if (hex) { value += String.fromCharCode(parseInt(hex[0].slice(1), 16)); i += 1 + hex[0].length; continue; }
          out.push({ kind: 'error', text: `Invalid escape sequence in string literal.`, start: i, end: i + 2 });
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      if (!closed) out.push({ kind: 'error', text: 'Unterminated string literal.', start, end: i });
      else out.push({ kind: 'string', text: text.slice(start, i), start, end: i, value });
      continue;
    }
    if (punct.has(c)) { out.push({ kind: 'punct', text: c, start, end: i + 1 }); i++; continue; }
    out.push({ kind: 'error', text: `Unexpected character "${c}".`, start, end: i + 1 });
    i++;
  }
  return out;
}
