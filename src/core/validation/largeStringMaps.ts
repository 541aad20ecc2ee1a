// The one shape that makes a manifest big: a ConfigMap's or Secret's `data` (or `stringData`, `binaryData`) holding
// thousands of string entries. The `yaml` library builds a node, with ranges, for every one of them (a 10 MB
// ConfigMap took ~9 s), though the checks only need to know that the block is a map of strings with unique keys.
// Such a block is read by js-yaml (about 10× faster, and it refuses duplicate keys) and cut out of the text the
// `yaml` library parses; positions after it are shifted back by its lines, so every other node keeps its line.
// Anything unusual in the block (an error, an alias, a value that is not a string) leaves it to the `yaml` library,
// which then reports it exactly as before.
import { CORE_SCHEMA, load } from 'js-yaml';

/** Below this a block costs the `yaml` library little; above it the fast reader pays for itself. */
export const LARGE_BLOCK_BYTES = 256 * 1024;

/** Top-level keys whose value the Kubernetes schemas define as a map of strings. */
const STRING_MAP_KEYS = /^(data|stringData|binaryData):[ \t]*(?:#[^\n]*)?\r?$/;

export interface StringMapBlock {
  /** The top-level key (`data`…). */
  readonly key: string;
  /** Its value as the `yaml` library would give it: a map of strings (or nulls for empty values). */
  readonly value: Readonly<Record<string, string | null>>;
  /** Where the value's lines were, in the text that is parsed (the one without the blocks). */
  readonly parsedOffset: number;
  /** How many lines the block had. */
  readonly lines: number;
}

export interface WithoutStringMaps {
  /** The text without the blocks' lines. */
  readonly text: string;
  readonly blocks: readonly StringMapBlock[];
}

/** Line (1-based) and column of an offset in the text without the blocks, as in the whole text. */
export function shiftedLinePos(linePos: (offset: number) => { line: number; col: number }, blocks: readonly StringMapBlock[]) {
  return (offset: number): { line: number; col: number } => {
    const p = linePos(offset);
    let line = p.line;
    for (const b of blocks) if (b.parsedOffset <= offset) line += b.lines;
    return { line, col: p.col };
  };
}

/** Blocks of at least `minBytes`, read and left out; undefined when there is none (parse the text as it is). */
export function withoutLargeStringMaps(text: string, minBytes = LARGE_BLOCK_BYTES): WithoutStringMaps | undefined {
  if (text.length < minBytes) return undefined;
  const parts: string[] = [];
  const blocks: StringMapBlock[] = [];
  let copiedTo = 0;
  let parsedLength = 0;
  for (let lineStart = 0; lineStart < text.length;) {
    const lineEnd = endOfLine(text, lineStart);
    const line = text.slice(lineStart, lineEnd);
    const m = STRING_MAP_KEYS.exec(line);
    if (!m) { lineStart = lineEnd + 1; continue; }
    // The value: the lines after the key that are empty, indented or comments (a line at column 0 ends it).
    const valueStart = Math.min(lineEnd + 1, text.length);
    let valueEnd = valueStart;
    while (valueEnd < text.length) {
      const c = text.charCodeAt(valueEnd);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 35 /* # */) break;
      valueEnd = Math.min(endOfLine(text, valueEnd) + 1, text.length);
    }
    const value = valueEnd - valueStart >= minBytes ? stringMapOrUndefined(text.slice(lineStart, valueEnd), m[1]) : undefined;
    if (value) {
      parts.push(text.slice(copiedTo, valueStart));
      parsedLength += valueStart - copiedTo;
      blocks.push({ key: m[1], value, parsedOffset: parsedLength, lines: countNewlines(text, valueStart, valueEnd) });
      copiedTo = valueEnd;
    }
    lineStart = valueEnd > lineEnd ? valueEnd : lineEnd + 1;
  }
  if (!blocks.length) return undefined;
  parts.push(text.slice(copiedTo));
  return { text: parts.join(''), blocks };
}

/** `key:` plus its block, read by js-yaml; the map when every value is a string (or empty), else undefined. */
function stringMapOrUndefined(source: string, key: string): Record<string, string | null> | undefined {
  let doc: unknown;
  try {
    doc = load(source, { schema: CORE_SCHEMA });
  } catch {
    return undefined; // a syntax error, a duplicate key, an alias to elsewhere: the `yaml` library says it exactly
  }
  const value = (doc as Record<string, unknown> | null)?.[key];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const v of Object.values(value)) if (v !== null && typeof v !== 'string') return undefined;
  return value as Record<string, string | null>;
}

function endOfLine(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
