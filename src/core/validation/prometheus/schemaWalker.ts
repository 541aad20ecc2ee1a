// Walks a parsed prometheus.yml together with schemas/prometheus.schema.json: the schema says which keys exist
// and what type each value has; the walker reports what does not fit in plain words, on the key or value at
// fault, and tells the rules (prometheusRules.ts) which section type each map is, so Prometheus' own checks run
// where they belong. We walk the YAML nodes ourselves rather than validating a JS copy with a JSON-schema engine:
// positions come for free, unions never leak as raw pattern or enum errors, and every value is read the way
// Prometheus' YAML 1.1 decoder reads it.
import { isAlias, isMap, isPair, isScalar, isSeq, YAMLMap, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { didYouMean } from './didYouMean';
import { isUtf8, labelNameError, parseDuration, regexError, sizeError } from './prometheusValues';

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  'x-exclusive'?: string[][];
  'x-one-required'?: string[][];
  definitions?: Record<string, SchemaNode>;
}

/** A replacement for the reported key or value (e.g. the name "did you mean" suggests). */
export interface Replacement { title: string; newText: string }

export type Reporter = (at: Node | Pair | null | undefined, message: string, code: string, severity?: 'error' | 'warning', fix?: Replacement) => void;

/** A map of a known section, handed to the rules after its keys were checked. */
export interface TypedMap {
  /** The schema definition it was reached through ('' for sections defined inline, e.g. global). */
  definition: string;
  map: YAMLMap;
  path: string;
  /** The pair holding this map (its key is where a finding about the whole section goes). */
  holder?: Pair;
}

export interface WalkOptions {
  report: Reporter;
  onMap: (typed: TypedMap) => void;
  /** A value of the `filename` type (a file Prometheus reads), for the existence check. */
  onFile?: (path: string, node: Scalar) => void;
}

const YAML11_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);
const YAML11_INT = /^[-+]?(0|[1-9][0-9_]*|0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$/;
const YAML11_FLOAT = /^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const RELABEL_ACTIONS = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'];

export function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The text Prometheus' decoder sees for a scalar: its source as written (so `0.50` stays `0.50`). */
export function scalarText(node: Scalar): string {
  if (node.value instanceof Uint8Array) return new TextDecoder().decode(node.value);
  const src = (node as Scalar & { source?: string }).source;
  return typeof src === 'string' && (node.type === 'PLAIN' || node.type === undefined) ? src : String(node.value);
}

function isQuoted(node: Scalar): boolean {
  return node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
}

export function keyText(pair: Pair): string {
  return isScalar(pair.key) ? scalarText(pair.key) : String(pair.key);
}

function kindOf(node: Node): string {
  return isMap(node) ? 'a map' : isSeq(node) ? 'a list' : 'a single value';
}

const MAX_ALIASES = 10_000;
const SCALAR_TYPES = new Set(['string', 'secret', 'filename', 'labelvalue', 'host', 'regex', 'labelname', 'boolean', 'int', 'uint', 'float', 'duration', 'size', 'scheme', 'relabel_action']);
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export class SchemaWalker {
  private readonly definitions: Record<string, SchemaNode>;

  constructor(private readonly root: SchemaNode, private readonly options: WalkOptions) {
    this.definitions = root.definitions ?? {};
  }

  private doc?: Document.Parsed;

  walkDocument(doc: Document.Parsed): void {
    this.doc = doc;
    this.walk(doc.contents as Node | null, this.root, '', undefined, 'configuration');
  }

  private aliasesFollowed = 0;
  private readonly resolved = new Map<object, Node | undefined>();

  /** Aliases stand for their anchor's node, as in Prometheus' decoder. Bounded, so that aliases of aliases
   * ("billion laughs") cannot make the walk exponential. */
  private deref(node: Node | null | undefined): Node | null | undefined {
    for (let i = 0; isAlias(node) && this.doc && i < 20; i++) {
      if (++this.aliasesFollowed > MAX_ALIASES) {
        if (this.aliasesFollowed === MAX_ALIASES + 1) this.options.report(node, `More than ${MAX_ALIASES.toLocaleString('en-US')} alias expansions: the rest of this file is not checked.`, 'prometheus.aliases');
        return null;
      }
      // yaml's resolve() searches the document; each alias node is looked up once.
      const alias = node;
      if (!this.resolved.has(alias)) this.resolved.set(alias, alias.resolve(this.doc) as Node | undefined);
      node = this.resolved.get(alias);
    }
    return node;
  }

  /** A map with its merge keys (`<<: *anchor`) expanded: the map's own keys win, then each merged map's in order. */
  private withMerges(map: YAMLMap): YAMLMap {
    if (!map.items.some(isMergeKey)) return map;
    const view = new YAMLMap();
    view.range = map.range;
    const own = map.items.filter((p) => !isMergeKey(p));
    const keys = new Set(own.map((p) => keyText(p as Pair)));
    view.items.push(...own);
    for (const merge of map.items.filter(isMergeKey)) {
      const source = this.deref(merge.value as Node);
      const sources = isSeq(source) ? source.items.map((n) => this.deref(n as Node)) : [source];
      for (const src of sources) {
        if (!isMap(src)) continue;
        for (const p of this.withMerges(src).items) {
          const k = keyText(p as Pair);
          if (!keys.has(k)) { keys.add(k); view.items.push(p); }
        }
      }
    }
    return view;
  }

  private readonly refs = new WeakMap<SchemaNode, { schema: SchemaNode; definition?: string }>();

  private resolve(schema: SchemaNode): { schema: SchemaNode; definition?: string } {
    let hit = this.refs.get(schema);
    if (!hit) {
      hit = this.follow(schema);
      this.refs.set(schema, hit);
    }
    return hit;
  }

  private follow(schema: SchemaNode): { schema: SchemaNode; definition?: string } {
    let definition: string | undefined;
    let s = schema;
    for (let i = 0; s.$ref && i < 10; i++) {
      const parts = s.$ref.replace(/^#\//, '').split('/');
      if (parts.length === 2 && parts[0] === 'definitions') definition = parts[1];
      let target: unknown = this.root;
      for (const p of parts) target = (target as Record<string, unknown>)?.[p];
      s = target as SchemaNode;
    }
    return { schema: s, definition };
  }

  private walk(node: Node | null | undefined, raw: SchemaNode, path: string, holder: Pair | undefined, definition?: string): void {
    const { schema, definition: referenced } = this.resolve(raw);
    const def = referenced ?? definition;
    node = this.deref(node);
    if (isNullNode(node)) return; // null means "not set" to Prometheus' decoder
    const at = isMap(node) ? this.withMerges(node) : (node as Node);
    if (isScalar(at) && at.tag === 'tag:yaml.org,2002:binary') {
      const src = String((at as Scalar & { source?: string }).source ?? '');
      if (!BASE64.test(src)) {
        this.options.report(at, `${shown(path)}: the !!binary value is not valid base64.`, 'prometheus.binary');
        return;
      }
    }
    if (def && this.checkScalarType(def, at, schema, path)) return;
    const types = ([] as string[]).concat(schema.type ?? []);
    const wantsMap = types.includes('object') || schema.properties !== undefined || typeof schema.additionalProperties === 'object';
    const wantsList = types.includes('array') || schema.items !== undefined;
    if (wantsMap && !isMap(at)) return this.options.report(at, `${shown(path)} must be a map (key: value lines), not ${kindOf(at)}.`, 'prometheus.type');
    if (wantsList && !isSeq(at)) return this.options.report(at, `${shown(path)} must be a list (lines starting with "- "), not ${kindOf(at)}.`, 'prometheus.type');
    if (!wantsMap && !wantsList && (isMap(at) || isSeq(at))) return this.options.report(at, `${shown(path)} must be a single value, not ${kindOf(at)}.`, 'prometheus.type');
    if (schema.enum && isScalar(at)) {
      const allowed = schema.enum.filter((v) => v !== null).map(String);
      const text = scalarText(at);
      if (!allowed.includes(text)) {
        const near = didYouMean(text, allowed);
        this.options.report(at, `${shown(path)}: "${text}" is not one of ${allowed.map((v) => v || '"" (unset)').join(', ')}${near ? `; did you mean "${near}"?` : '.'}`, 'prometheus.enum', 'error', near ? { title: `Change to "${near}"`, newText: near } : undefined);
      }
      return;
    }
    if (isSeq(at)) {
      at.items.forEach((item, i) => {
        const itemPath = `${path}[${i}]`;
        const itemSchema = this.resolve(schema.items ?? {});
        const objectItems = itemSchema.schema.properties !== undefined;
        if (objectItems && isNullNode(this.deref(item as Node))) {
          const where = isScalar(item) && item.range ? item : at;
          this.options.report(where as Node, `${shown(itemPath)} is empty: remove the lone "-" or fill in the entry.`, 'prometheus.empty-entry');
          return;
        }
        this.walk(item as Node, schema.items ?? {}, itemPath, undefined, undefined);
      });
      return;
    }
    if (isMap(at)) {
      const props = schema.properties ?? {};
      for (const pair of at.items) {
        if (!isPair(pair)) continue;
        const key = keyText(pair);
        const child = props[key];
        const childPath = path ? `${path}.${key}` : key;
        if (child) this.walk(pair.value as Node, child, childPath, pair, undefined);
        else if (typeof schema.additionalProperties === 'object') this.walk(pair.value as Node, schema.additionalProperties, childPath, pair, undefined);
        else if (schema.properties) {
          const near = didYouMean(key, Object.keys(props));
          this.options.report(pair, `Unknown key "${key}" in ${shown(path)}${near ? `: did you mean "${near}"?` : '.'}`, 'prometheus.unknown-key', 'error', near ? { title: `Rename to "${near}"`, newText: near } : undefined);
        }
      }
      if (schema.properties) {
        this.checkPresence(at, schema, path, holder);
        this.options.onMap({ definition: def ?? '', map: at, path, holder });
      }
    }
  }

  /** Required keys and "at most one" / "exactly one" groups; set means present and not empty. */
  private checkPresence(map: YAMLMap, schema: SchemaNode, path: string, holder: Pair | undefined): void {
    const isSet = (k: string) => isSetValue(pairOf(map, k)?.value);
    for (const key of schema.required ?? []) {
      if (isSet(key)) continue;
      const pair = pairOf(map, key);
      this.options.report(pair ?? holder ?? map, `${shown(path)}: ${key} must be set${pair ? ' (it is empty)' : ''}.`, 'prometheus.required');
    }
    for (const group of schema['x-exclusive'] ?? []) {
      const set = group.filter(isSet);
      if (set.length > 1) this.options.report(pairOf(map, set[1]), `${shown(path)}: set at most one of ${listed(group)} (found ${set.join(' and ')}).`, 'prometheus.exclusive');
    }
    for (const group of schema['x-one-required'] ?? []) {
      if (!group.some(isSet)) this.options.report(holder ?? map, `${shown(path)}: one of ${listed(group)} must be set.`, 'prometheus.required');
    }
  }

  /** Checks a value of a scalar type. Returns true when `def` is a scalar type (checked here). */
  private checkScalarType(def: string, node: Node, schema: SchemaNode, path: string): boolean {
    if (!SCALAR_TYPES.has(def)) return false;
    const report = (message: string, code = 'prometheus.type') => this.options.report(node, `${shown(path)}: ${message}`, code);
    const describe = () => lowerFirst(schema.description?.split('\n')[0] ?? '');
    if (!isScalar(node)) {
      report(`expected ${describe() || 'a single value'}, not ${kindOf(node)}.`);
      return true;
    }
    const text = scalarText(node);
    const plain = typeof node.value === 'number' || (!isQuoted(node) && node.value !== null && typeof node.value !== 'boolean');
    switch (def) {
      case 'labelvalue':
        if (node.value instanceof Uint8Array && !isUtf8(node.value)) report('the label value is not valid UTF-8.', 'prometheus.label-value');
        break;
      case 'filename':
        this.options.onFile?.(path, node);
        break;
      case 'regex': {
        const err = regexError(text);
        if (err) report(`${err}.`, 'prometheus.regex');
        break;
      }
      case 'labelname': {
        // Label names in lists and maps decode under Prometheus 3's global UTF-8 rule whatever the file says; the
        // configured legacy scheme applies to relabel targets and external labels (prometheusRules.ts).
        const err = labelNameError(text, 'utf8', !(node.value instanceof Uint8Array) || isUtf8(node.value));
        if (err) report(`${err}.`, 'prometheus.label-name');
        break;
      }
      case 'boolean':
        if (typeof node.value !== 'boolean' && !(plain && YAML11_BOOLEANS.has(text))) report(`"${text}" is not true or false.`);
        break;
      case 'int':
      case 'uint':
        // Prometheus' decoder also takes a float for an integer field (it truncates), so only non-numbers fail.
        if (!plain || !(YAML11_INT.test(text) || YAML11_FLOAT.test(text))) report(`"${text}" is not ${def === 'uint' ? 'a whole number ≥ 0' : 'a whole number'}.`);
        else if (def === 'uint' && text.startsWith('-')) report(`${text} is negative; a whole number ≥ 0 is needed.`);
        break;
      case 'float':
        if (!plain || !(YAML11_FLOAT.test(text) || YAML11_INT.test(text))) report(`"${text}" is not a number.`);
        break;
      case 'duration': {
        const parsed = parseDuration(text);
        if ('error' in parsed) report(`${parsed.error} (expected ${describe()}).`, 'prometheus.duration');
        break;
      }
      case 'size': {
        const err = sizeError(text);
        if (err) report(`${err}.`, 'prometheus.size');
        break;
      }
      case 'scheme':
        if (text !== 'http' && text !== 'https') report(`"${text}" is not http or https.`, 'prometheus.enum');
        break;
      case 'relabel_action':
        if (!RELABEL_ACTIONS.includes(text.toLowerCase())) {
          const near = didYouMean(text.toLowerCase(), RELABEL_ACTIONS);
          this.options.report(node, `${shown(path)}: unknown relabel action "${text}" (one of ${RELABEL_ACTIONS.join(', ')})${near ? `; did you mean "${near}"?` : '.'}`, 'prometheus.enum', 'error', near ? { title: `Change to "${near}"`, newText: near } : undefined);
        }
        break;
      default:
        break; // strings, secrets, file names: any scalar reads as a string
    }
    return true;
  }
}

function isMergeKey(p: unknown): boolean {
  const key = isPair(p) ? p.key : undefined;
  return isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<');
}

export function pairOf(map: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isPair(p) && keyText(p as Pair) === key) as Pair<Node, Node | null> | undefined;
}

export function isSetValue(node: unknown): boolean {
  if (isNullNode(node)) return false;
  if (isScalar(node)) return scalarText(node) !== '';
  return true;
}

export function shown(path: string): string {
  return path || 'the configuration';
}

function listed(keys: string[]): string {
  return keys.length <= 2 ? keys.join(' and ') : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1).replace(/\.$/, '') : s;
}
