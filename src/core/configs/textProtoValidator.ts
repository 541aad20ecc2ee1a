// Checks TF Serving text-format configs (protobuf text format) against the field tables of their messages:
// syntax, unknown fields, value types and ranges, enum names, repeated/oneof rules. Also answers "which message
// does this file hold" and "which fields can go here" for completion.
import type { Finding, Range } from '../validation/finding';
import { enums, messages, topLevelMessages, type FieldSpec, type MessageSpec, type TopLevelMessage } from './textProtoSchema';
import { tokenize, type Token } from './textProtoTokenizer';

export { topLevelMessages, type TopLevelMessage };

class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}

const INT_LIMITS: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

function parseInteger(text: string): bigint | undefined {
  if (/^0[xX][0-9A-Fa-f]+$/.test(text)) return BigInt(text);
  if (/^0[0-7]+$/.test(text)) return BigInt('0o' + text.slice(1));
  if (/^(0|[1-9][0-9]*)$/.test(text)) return BigInt(text);
  return undefined;
}

// Decimal only: protoc rejects hex and leading-zero (octal) literals for floating-point fields.
function isFloatLiteral(text: string): boolean {
  if (/^0[0-9xX]/.test(text) && !/^0\./.test(text)) return false;
  return /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[fF]?$/.test(text);
}

interface ParseContext {
  tokens: Token[];
  pos: number;
  findings: Finding[];
  file: string;
  lines: LineIndex;
  textLength: number;
}

class StopParsing extends Error {}

function report(ctx: ParseContext, start: number, end: number, message: string, code: string, severity: Finding['severity'] = 'error'): void {
  ctx.findings.push({ file: ctx.file, range: ctx.lines.range(start, end), severity, message, code });
}

function syntax(ctx: ParseContext, tok: Token | undefined, message: string): never {
  const start = tok?.start ?? ctx.textLength;
  report(ctx, start, tok?.end ?? start, message, 'textproto.syntax');
  throw new StopParsing();
}

const peek = (ctx: ParseContext): Token | undefined => ctx.tokens[ctx.pos];
const next = (ctx: ParseContext): Token | undefined => ctx.tokens[ctx.pos++];
const isPunct = (t: Token | undefined, p: string): boolean => !!t && t.kind === 'punct' && t.text === p;

function expectPunct(ctx: ParseContext, p: string): Token {
  const t = next(ctx);
  if (!isPunct(t, p)) syntax(ctx, t, `Expected "${p}", found ${t ? `"${t.text}"` : 'end of file'}.`);
  return t as Token;
}

/** Parses fields until `close` (or end of input at top level), validating against `spec`. */
function parseMessageBody(ctx: ParseContext, spec: MessageSpec | undefined, close: string | undefined): void {
  const seen = new Map<string, Token>();
  const unsetScalars = new Set<string>();
  const oneofSeen = new Map<string, Token>();
  for (;;) {
    const t = peek(ctx);
    if (!t) {
      if (close) syntax(ctx, undefined, `Expected "${close}" before end of file.`);
      return;
    }
    if (close && isPunct(t, close)) { ctx.pos++; return; }
    if (t.kind === 'error') syntax(ctx, t, t.text);
    if (isPunct(t, '[')) syntax(ctx, t, 'Extension and Any type-URL fields are not supported in TF Serving configs.');
    if (t.kind !== 'ident') syntax(ctx, t, `Expected a field name, found "${t.text}".`);
    ctx.pos++;
    const field = spec?.fields.find((f) => f.name === t.text);
    if (spec && !field) {
      const suggestion = closest(t.text, spec.fields.map((f) => f.name));
      report(ctx, t.start, t.end, `Unknown field "${t.text}" in ${shortName(spec.name)}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, 'textproto.unknown-field');
      throw new StopParsing(); // protoc stops at the first error; so do we, to agree on every file.
    }
    if (field && !field.repeated) {
      // A proto3 scalar without presence that holds its default value counts as unset, so protoc accepts setting
      // it again (`enable: false enable: true`); messages, oneof members and `optional` scalars have presence.
      if (seen.has(field.name) && !unsetScalars.has(field.name)) {
        report(ctx, t.start, t.end, `Field "${field.name}" is set more than once; it is not repeated.`, 'textproto.duplicate-field');
        throw new StopParsing();
      }
      if (field.oneof) {
        const other = oneofSeen.get(field.oneof);
        if (other) {
          report(ctx, t.start, t.end, `"${field.name}" and "${other.text}" are alternatives (oneof ${field.oneof}); set only one.`, 'textproto.oneof');
          throw new StopParsing();
        }
        oneofSeen.set(field.oneof, t);
      }
      seen.set(field.name, t);
    }
    if (field?.deprecated) report(ctx, t.start, t.end, `"${field.name}" is deprecated${field.doc ? `: ${field.doc.replace(/^Deprecated:\s*/, '')}` : '.'}`, 'textproto.deprecated', 'warning');
    const isDefault = parseFieldValue(ctx, t, field);
    if (field && !field.repeated && field.type !== 'message' && !field.oneof && !field.presence && isDefault) unsetScalars.add(field.name);
    else if (field) unsetScalars.delete(field.name);
    // Optional separator.
    const sep = peek(ctx);
    if (isPunct(sep, ',') || isPunct(sep, ';')) ctx.pos++;
  }
}

/** Returns whether a single scalar value equal to its type's default was read. */
function parseFieldValue(ctx: ParseContext, name: Token, field: FieldSpec | undefined): boolean {
  const isMessage = field?.type === 'message';
  let t = peek(ctx);
  let colon = false;
  if (isPunct(t, ':')) { colon = true; ctx.pos++; t = peek(ctx); }
  if (isPunct(t, '[')) {
    if (field && !field.repeated) syntax(ctx, t, `Field "${field.name}" is not repeated; a list [ … ] is not allowed.`);
    // Like a single message, a list of messages may omit the colon; a list of scalars may not.
    if (!colon && !isMessage) syntax(ctx, t, `Expected ":" before the list of "${name.text}".`);
    ctx.pos++;
    if (isPunct(peek(ctx), ']')) { ctx.pos++; return false; }
    for (;;) {
      parseSingleValue(ctx, name, field, isMessage);
      const s = next(ctx);
      if (isPunct(s, ']')) return false;
      if (!isPunct(s, ',')) syntax(ctx, s, `Expected "," or "]" in the list of "${name.text}".`);
    }
  }
  if (!colon && !(isPunct(t, '{') || isPunct(t, '<'))) syntax(ctx, t, `Expected ":" after "${name.text}".`);
  return parseSingleValue(ctx, name, field, isMessage);
}

function parseSingleValue(ctx: ParseContext, name: Token, field: FieldSpec | undefined, isMessage: boolean): boolean {
  const t = peek(ctx);
  if (isPunct(t, '{') || isPunct(t, '<')) {
    if (field && !isMessage) syntax(ctx, t, `Field "${field.name}" is a ${field.type}, not a message; write ${field.name}: <value>.`);
    ctx.pos++;
    parseMessageBody(ctx, field ? messages[field.ref as string] : undefined, t!.text === '{' ? '}' : '>');
    return false;
  }
  if (field && isMessage) syntax(ctx, t, `Field "${field.name}" is a message; write ${field.name} { … }.`);
  return parseScalar(ctx, field);
}

function parseScalar(ctx: ParseContext, field: FieldSpec | undefined): boolean {
  let t = next(ctx);
  if (!t) syntax(ctx, t, 'Expected a value before end of file.');
  const start = t.start;
  let negative = false;
  if (isPunct(t, '-')) {
    negative = true;
    t = next(ctx);
    if (!t || (t.kind !== 'number' && t.kind !== 'ident')) syntax(ctx, t, 'Expected a number after "-".');
  }
  if (t.kind === 'error') syntax(ctx, t, t.text);
  let text = t.value ?? '';
  if (t.kind === 'string') {
    // Adjacent string literals concatenate.
    while (peek(ctx)?.kind === 'string') text += next(ctx)!.value ?? '';
  }
  if (!field) return false;
  const bad = (msg: string): never => {
    report(ctx, start, t!.end, msg, 'textproto.type');
    throw new StopParsing();
  };
  const type = field.type;
  if (type === 'string' || type === 'bytes') {
    if (t.kind !== 'string' || negative) bad(`"${field.name}" takes a quoted string.`);
    return text === '';
  }
  if (t.kind === 'string') bad(`"${field.name}" takes a ${type === 'enum' ? 'name' : type} value, not a quoted string.`);
  if (type === 'bool') {
    const ok = ['true', 'false', 't', 'f', 'True', 'False', '1', '0'].includes(t.text) && !negative;
    if (!ok) bad(`"${field.name}" takes true or false.`);
    return ['false', 'f', 'False', '0'].includes(t.text);
  }
  if (type === 'enum') {
    const names = enums[field.ref as string] ?? [];
    if (t.kind === 'ident') {
      if (negative || !names.includes(t.text)) bad(`"${t.text}" is not a value of ${shortName(field.ref as string)} (${names.join(', ')}).`);
      return names.indexOf(t.text) === 0;
    }
    const n = parseInteger(t.text);
    if (n === undefined || n > INT_LIMITS.int32[1] || (negative && -n < INT_LIMITS.int32[0])) bad(`"${field.name}" takes one of ${names.join(', ')}.`);
    return n === 0n;
  }
  if (type === 'double' || type === 'float') {
    if (t.kind === 'ident') {
      if (!/^(inf|infinity|nan)$/i.test(t.text)) bad(`"${field.name}" takes a number.`);
      return false;
    }
    if (!isFloatLiteral(t.text)) bad(`"${field.name}" takes a number, not "${t.text}".`);
    return Number(t.text.replace(/[fF]$/, '')) === 0;
  }
  // Integer types.
  const n = t.kind === 'number' ? parseInteger(t.text) : undefined;
  if (n === undefined) bad(`"${field.name}" takes an integer (${type}), not "${negative ? '-' : ''}${t.text}".`);
  const v = negative ? -(n as bigint) : (n as bigint);
  const [lo, hi] = INT_LIMITS[type];
  if (v < lo || v > hi) bad(`${negative ? '-' : ''}${t.text} is out of range for "${field.name}" (${type}).`);
  return v === 0n;
}

function shortName(full: string): string {
  return full.split('.').pop() ?? full;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length][b.length];
}

/** Validates `text` as the given top-level message. Stops at the first error, as protoc's parser does;
 * warnings (deprecated fields) do not stop it, and protoc only warns about those too. */
export function validateTextProto(file: string, text: string, message: TopLevelMessage): Finding[] {
  const ctx: ParseContext = { tokens: tokenize(text), pos: 0, findings: [], file, lines: new LineIndex(text), textLength: text.length };
  try {
    parseMessageBody(ctx, messages[message], undefined);
  } catch (e) {
    if (!(e instanceof StopParsing)) throw e;
  }
  return ctx.findings;
}

/** Which TF Serving message a file holds: an explicit `# proto-message:` header, then the content, then the name. */
export function detectTextProtoMessage(fileName: string, text: string): TopLevelMessage | undefined {
  const header = /^#\s*proto-message:\s*([\w.]+)/m.exec(text);
  if (header) {
    const full = Object.keys(topLevelMessages).find((m) => m === header[1] || m.endsWith('.' + header[1]));
    if (full) return full as TopLevelMessage;
  }
  const first = tokenize(text).find((t) => t.kind === 'ident');
  if (first) {
    for (const m of Object.keys(topLevelMessages) as TopLevelMessage[]) if (messages[m].fields.some((f) => f.name === first.text)) return m;
  }
  const base = fileName.replace(/\\/g, '/').split('/').pop()?.toLowerCase() ?? '';
  if (!/\.(config|pbtxt|textproto|txtpb)$/.test(base)) return undefined;
  if (/monitor/.test(base)) return 'tensorflow.serving.MonitoringConfig';
  if (/batch/.test(base)) return 'tensorflow.serving.BatchingParameters';
  if (/model/.test(base)) return 'tensorflow.serving.ModelServerConfig';
  return undefined;
}

export interface FieldCompletion {
  name: string;
  /** `message` fields complete as `name { }`, scalars as `name: `. */
  kind: 'message' | 'scalar';
  detail: string;
  doc?: string;
}

/** Field names valid at `offset`: those of the innermost message open there, minus non-repeated ones already set. */
export function completeFieldsAt(text: string, offset: number, message: TopLevelMessage): FieldCompletion[] {
  const tokens = tokenize(text.slice(0, offset));
  const stack: { spec: MessageSpec | undefined; set: Set<string> }[] = [{ spec: messages[message], set: new Set() }];
  let lastField: FieldSpec | undefined;
  // If the cursor sits right after an identifier (the word being typed), ignore that word.
  const typing = tokens.length && tokens[tokens.length - 1].kind === 'ident' && tokens[tokens.length - 1].end === offset;
  const upto = typing ? tokens.length - 1 : tokens.length;
  for (let i = 0; i < upto; i++) {
    const t = tokens[i];
    const top = stack[stack.length - 1];
    if (t.kind === 'ident' && (i === 0 || !isPunct(tokens[i - 1], ':'))) {
      const f = top.spec?.fields.find((x) => x.name === t.text);
      if (f && !isPunct(tokens[i - 1], '-')) { lastField = f; top.set.add(f.name); }
    } else if (isPunct(t, '{') || isPunct(t, '<')) {
      stack.push({ spec: lastField?.type === 'message' ? messages[lastField.ref as string] : undefined, set: new Set() });
    } else if ((isPunct(t, '}') || isPunct(t, '>')) && stack.length > 1) stack.pop();
  }
  // After "name:" a value is expected, not a field.
  const prev = tokens[upto - 1];
  if (isPunct(prev, ':')) return [];
  const { spec, set } = stack[stack.length - 1];
  if (!spec) return [];
  return spec.fields
    .filter((f) => f.repeated || !set.has(f.name))
    .filter((f) => !f.oneof || !spec.fields.some((o) => o.oneof === f.oneof && o !== f && set.has(o.name)))
    .map((f) => ({
      name: f.name,
      kind: f.type === 'message' ? 'message' : 'scalar',
      detail: `${f.repeated ? 'repeated ' : ''}${f.type === 'message' || f.type === 'enum' ? shortName(f.ref as string) : f.type}${f.deprecated ? ' (deprecated)' : ''}`,
      doc: f.doc,
    }));
}
