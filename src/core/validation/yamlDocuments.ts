// Parses YAML files (possibly multi-document) keeping node ranges, so checks can point at the exact key or value.
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, visit, YAMLParseError } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { Range } from './finding';
import { shiftedLinePos, withoutLargeStringMaps, type StringMapBlock, type WithoutStringMaps } from './largeStringMaps';

export interface YamlFile {
  /** The text the documents' ranges refer to: the file's, without any large string map's lines (see stringMaps). */
  text: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  /** Set when the text nests deeper than MAX_YAML_DEPTH: it was not parsed (documents is empty). */
  tooDeep?: { readonly offset: number };
  /** Large `data` maps read apart (see largeStringMaps.ts): in the documents as empty keys, values here. */
  stringMaps?: ReadonlyMap<Document.Parsed, readonly StringMapBlock[]>;
}

/** Deeper than any manifest or Prometheus config, and far below what the parser's recursion survives (~2,000). */
export const MAX_YAML_DEPTH = 500;

export interface ParseOptions {
  /** Smallest `data` block read apart by the fast reader (default LARGE_BLOCK_BYTES; Infinity: never). */
  readonly largeBlockBytes?: number;
}

export function parseYamlFile(text: string, options: ParseOptions = {}): YamlFile {
  // A large string map is flat (read apart only then), so the rest holds all the nesting there is.
  const fast = withoutLargeStringMaps(text, options.largeBlockBytes);
  if (fast && deepestOffset(fast.text, MAX_YAML_DEPTH) === undefined) {
    const file = parseWithout(fast);
    if (file) return file;
  }
  const lineCounter = new LineCounter();
  const tooDeep = deepestOffset(text, MAX_YAML_DEPTH);
  if (tooDeep !== undefined) {
    // The parser recurses per level and would overflow the stack; say where instead.
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return { text, documents: [], lineCounter, tooDeep: { offset: tooDeep } };
  }
  return { text, documents: parseDocuments(text, lineCounter), lineCounter };
}

function parseDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] {
  // Merge keys (`<<: *anchor`) are resolved, as the YAML decoders of Prometheus and kubectl do.
  // The parser's own duplicate-key check compares each key with every earlier one (quadratic: a 5 MB ConfigMap
  // took 26 s); reportDuplicateKeys does the same check with a set per map.
  const parsed = parseAllDocuments(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, merge: true });
  // parseAllDocuments returns an EmptyStream (an array) for empty input, or an array of documents otherwise.
  const documents = Array.isArray(parsed) ? (parsed as Document.Parsed[]) : [];
  for (const doc of documents) reportDuplicateKeys(doc);
  return documents;
}

/**
 * The text with its large string maps left out, parsed; undefined when that is not the same as parsing it all
 * (a block that is not a top-level key of its document as the `yaml` library sees it, or any error at all).
 */
function parseWithout(fast: WithoutStringMaps): YamlFile | undefined {
  const lineCounter = new LineCounter();
  const documents = parseDocuments(fast.text, lineCounter);
  if (documents.some((d) => d.errors.length || hasUnresolvedAlias(d))) return undefined; // e.g. its anchor was in a block
  const stringMaps = new Map<Document.Parsed, StringMapBlock[]>();
  for (const block of fast.blocks) {
    // The document it belongs to: the last one starting before it (its own range ends at the `key:` line).
    const doc = documents.filter((d) => d.range[0] < block.parsedOffset).pop();
    const pair = isMap(doc?.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === block.key) : undefined;
    const keyEnd = isScalar(pair?.key) ? pair.key.range?.[1] ?? -1 : -1;
    // The key must be the one on the line just above the block, with nothing (null) as its value.
    if (!doc || !pair || keyEnd < 0 || block.parsedOffset - 1 !== fast.text.indexOf('\n', keyEnd)) return undefined;
    if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) return undefined;
    stringMaps.set(doc, [...(stringMaps.get(doc) ?? []), block]);
  }
  // Positions as in the whole file: after a block, its lines count again.
  lineCounter.linePos = shiftedLinePos(lineCounter.linePos, fast.blocks);
  return { text: fast.text, documents, lineCounter, stringMaps };
}

function hasUnresolvedAlias(doc: Document.Parsed): boolean {
  let unresolved = false;
  visit(doc, { Alias: (_, alias) => { if (!alias.resolve(doc)) { unresolved = true; return visit.BREAK; } return undefined; } });
  return unresolved;
}

/** A document's value as plain data (what the schemas check), the left-out string maps put back. */
export function documentValue(file: Pick<YamlFile, 'stringMaps'>, doc: Document.Parsed): unknown {
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const blocks = file.stringMaps?.get(doc);
  if (blocks && value && typeof value === 'object') for (const b of blocks) (value as Record<string, unknown>)[b.key] = b.value;
  return value;
}

/**
 * Where the nesting first exceeds `limit` levels, or undefined: flow brackets outside quotes and comments, plus
 * block levels (one per deeper indentation on the current path). One pass, no parsing.
 */
export function deepestOffset(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; indent = 0; continue; }
    if (lineStart) {
      if (c === 32 || c === 45 /* '-' of a block sequence entry adds a level too */) { indent++; continue; }
      lineStart = false;
      if (c === 35) { i = skipTo(text, i, '\n') - 1; continue; } // comment line
      if (c !== 13 && c !== 9 && flow === 0) {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
    }
    // Outside a flow collection, a bracket opens one only where a value starts (after ": ", "- ", "? " or at the
    // line's start); elsewhere it is part of a plain scalar ("see [docs"), which must not count.
    if (c === 91 || c === 123) {
      if (flow > 0 || valueStarts(text, i)) flow++;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
    else if (c === 34 || c === 39) i = skipQuoted(text, i);
    else if (c === 35 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i = skipTo(text, i, '\n') - 1;
    if (flow + indents.length > limit) return i;
  }
  return undefined;
}

/** True when the character at i begins a value: only blanks back to ":", "-", "?" or the start of the line. */
function valueStarts(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 9) continue;
    return c === 10 || c === 58 || c === 45 || c === 63;
  }
  return true;
}

function skipTo(text: string, from: number, what: string): number {
  const at = text.indexOf(what, from);
  return at < 0 ? text.length : at;
}

/** Index of the closing quote of the string opening at `open` (or the end of the line for a lone quote). */
function skipQuoted(text: string, open: number): number {
  const q = text.charCodeAt(open);
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 && q === 34) i++;
    else if (c === q) {
      if (q === 39 && text.charCodeAt(i + 1) === 39) i++; // '' inside single quotes
      else return i;
    }
  }
  return text.length;
}

/**
 * Adds "Map keys must be unique" to doc.errors for every scalar key seen twice in one mapping, as the parser's
 * uniqueKeys option does (merge keys `<<` excepted), in linear time and without recursion (deep nesting stays
 * off the call stack).
 */
function reportDuplicateKeys(doc: Document.Parsed): void {
  const stack: unknown[] = [doc.contents];
  const seen = new Set<unknown>();
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      if (seen.has(node)) continue; // an alias can bring a node back
      seen.add(node);
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && typeof key.value !== 'symbol' && key.value !== '<<') {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (keys.has(id)) doc.errors.push(new YAMLParseError([key.range?.[0] ?? 0, key.range?.[1] ?? 0], 'DUPLICATE_KEY', 'Map keys must be unique'));
          else keys.add(id);
        }
        stack.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      if (seen.has(node)) continue;
      seen.add(node);
      for (const item of node.items) stack.push(item);
    }
  }
}

/** Editor range of [start, end) character offsets. */
export function offsetRange(file: Pick<YamlFile, 'lineCounter'>, start: number, end: number): Range {
  const s = file.lineCounter.linePos(start);
  const e = file.lineCounter.linePos(Math.max(start, end));
  return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
}

export function nodeRange(file: Pick<YamlFile, 'lineCounter'>, node: Node | Pair | null | undefined, fallback = 0): Range {
  if (isPair(node)) return nodeRange(file, node.key as Node, fallback);
  const r = node && (node as Node).range;
  if (!r) return offsetRange(file, fallback, fallback);
  return offsetRange(file, r[0], r[1]);
}

/** The node at a JSON-pointer-like path of keys/indices, and the pair holding it (for key ranges). */
export function nodeAt(root: unknown, path: (string | number)[]): { node: Node | undefined; pair?: Pair } {
  let node = root as Node | undefined;
  let pair: Pair | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg)) as Pair | undefined;
      node = pair?.value as Node | undefined;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)] as Node | undefined;
      pair = undefined;
    } else return { node: undefined };
    if (node === undefined) return { node: undefined, pair };
  }
  return { node, pair };
}

/** Plain string value of a scalar map entry, or undefined. */
export function scalarString(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined) return String(node.value);
  return undefined;
}
