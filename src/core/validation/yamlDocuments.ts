// Parses YAML files (possibly multi-document) keeping node ranges, so checks can point at the exact key or value.
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { Range } from './finding';

export interface YamlFile {
  text: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

export function parseYamlFile(text: string): YamlFile {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *anchor`) are resolved, as the YAML decoders of Prometheus and kubectl do.
  const documents = parseAllDocuments(text, { lineCounter, keepSourceTokens: false, uniqueKeys: true, prettyErrors: false, merge: true });
  // parseAllDocuments returns an EmptyStream (an array) for empty input, or an array of documents otherwise.
  return { text, documents: Array.isArray(documents) ? (documents as Document.Parsed[]) : [], lineCounter };
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
