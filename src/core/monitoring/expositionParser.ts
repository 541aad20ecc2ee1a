// Parser for the Prometheus text exposition format (version 0.0.4), the page TF Serving serves at its monitoring
// path. Hand-written over char codes: one pass, no regular expressions per line, so a 5,000-series page parses in a
// few milliseconds (bench/exposition.bench.ts). Strict where Prometheus' own parser is strict, so an error here
// means the scrape would fail there too.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export type Labels = Record<string, string>;

export interface Sample {
  /** The sample's own name: `x_bucket`, `x_sum` and `x_count` for a histogram family `x`. */
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  readonly timestampMs?: number;
}

export interface MetricFamily {
  readonly name: string;
  type: MetricType;
  help?: string;
  readonly samples: Sample[];
}

export interface HistogramBucket { readonly le: number; readonly count: number }

/** One labelled histogram of a family: its cumulative buckets (sorted by `le`), sum and count. */
export interface HistogramSeries {
  readonly labels: Labels;
  readonly buckets: HistogramBucket[];
  sum: number;
  count: number;
}

export class ExpositionParseError extends Error {
  constructor(readonly line: number, readonly column: number, readonly detail: string, readonly text: string) {
    super(`line ${line}, column ${column}: ${detail}${text ? ` in "${text.length > 80 ? text.slice(0, 77) + '...' : text}"` : ''}`);
    this.name = 'ExpositionParseError';
  }
}

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

// Char codes used by the scanner.
const SPACE = 32, TAB = 9, NL = 10, CR = 13, HASH = 35, LBRACE = 123, RBRACE = 125, EQ = 61, COMMA = 44,
  QUOTE = 34, BACKSLASH = 92, COLON = 58, UNDERSCORE = 95;

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE || c === COLON;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isLabelStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE;
const isLabelChar = (c: number) => isLabelStart(c) || (c >= 48 && c <= 57);
const isBlank = (c: number) => c === SPACE || c === TAB;

/** Go's strconv.ParseFloat spellings Prometheus accepts, plus plain decimals and exponents. */
export function parseSampleValue(token: string): number {
  const n = Number(token);
  if (!Number.isNaN(n)) {
    // Number() also accepts "", "0x1f", "0b1", " 1" and "Infinity"; the format does not.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token)) return parseSpecial(token);
    return n;
  }
  return parseSpecial(token);
}

function parseSpecial(token: string): number {
  switch (token.toLowerCase()) {
    case 'nan': case '+nan': case '-nan': return NaN;
    case 'inf': case '+inf': case 'infinity': case '+infinity': return Infinity;
    case '-inf': case '-infinity': return -Infinity;
    default: throw new SyntaxError(`"${token}" is not a number`);
  }
}

/** Parses a whole page into metric families, in the order their first line appears. */
export function parseExposition(text: string): MetricFamily[] {
  return new ExpositionParser(text).parse();
}

class ExpositionParser {
  private readonly families = new Map<string, MetricFamily>();
  /** Sample name → family, so `x_bucket` finds `x` without a suffix search on every line. */
  private readonly bySampleName = new Map<string, MetricFamily>();
  /** Families that already have samples: a TYPE or HELP line after them is an error, as in Prometheus. */
  private readonly hasSamples = new Set<MetricFamily>();
  /** The histogram series whose buckets the previous lines held: its label text around le, highest bound, first line. */
  private run?: { family: MetricFamily; start: number; leStart: number; leEnd: number; end: number; le: number; line: number; labels: Labels };
  private readonly leValues = new Map<string, number>();
  /** Where the current line's `le="…"` pair sits (start, end), when it has one. */
  private leStart = -1;
  private leEnd = -1;
  private labelsStart = -1;
  private labelsEnd = -1;
  private lineNo = 0;
  private lineStart = 0;
  private lineEnd = 0;
  private pos = 0;

  private readonly text: string;

  constructor(text: string) {
    // A string built by concatenation is a rope; charCodeAt on a rope is many times slower than on a flat string.
    // Number() reads every character, which makes V8 flatten it once, here.
    void Number(text);
    this.text = text;
  }

  parse(): MetricFamily[] {
    const t = this.text;
    const n = t.length;
    let start = 0;
    while (start < n) {
      let end = t.indexOf('\n', start);
      if (end < 0) end = n;
      this.lineNo++;
      this.lineStart = start;
      this.lineEnd = end > start && t.charCodeAt(end - 1) === CR ? end - 1 : end;
      this.parseLine();
      start = end + 1;
    }
    this.closeRun();
    return [...this.families.values()];
  }

  private fail(detail: string, at = this.pos): never {
    throw new ExpositionParseError(this.lineNo, at - this.lineStart + 1, detail, this.text.slice(this.lineStart, this.lineEnd));
  }

  private skipBlanks(): void {
    while (this.pos < this.lineEnd && isBlank(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private parseLine(): void {
    this.pos = this.lineStart;
    this.skipBlanks();
    if (this.pos >= this.lineEnd) return;
    if (this.text.charCodeAt(this.pos) === HASH) return this.parseComment();
    this.parseSample();
  }

  private parseComment(): void {
    const t = this.text;
    this.pos++;
    this.skipBlanks();
    const kwStart = this.pos;
    while (this.pos < this.lineEnd && !isBlank(t.charCodeAt(this.pos))) this.pos++;
    const keyword = t.slice(kwStart, this.pos);
    if (keyword !== 'HELP' && keyword !== 'TYPE') return; // any other comment
    this.skipBlanks();
    const nameStart = this.pos;
    const name = this.readName();
    if (!name) {
      // "# HELP" with nothing after it is only a comment to Prometheus too.
      if (this.pos >= this.lineEnd) return;
      this.fail(`invalid metric name after # ${keyword}`, nameStart);
    }
    if (this.pos < this.lineEnd && !isBlank(t.charCodeAt(this.pos))) this.fail(`invalid metric name after # ${keyword}`);
    this.skipBlanks();
    const family = this.familyFor(name, true);
    if (keyword === 'TYPE') {
      const type = t.slice(this.pos, this.lineEnd).replace(/[ \t]+$/, '');
      if (!TYPES.has(type)) this.fail(`unknown metric type "${type}" (counter, gauge, histogram, summary or untyped)`);
      if (family.typeSeen) this.fail(`second # TYPE line for ${name}`, nameStart);
      if (this.hasSamples.has(family.family)) this.fail(`# TYPE for ${name} after its samples`, nameStart);
      family.family.type = type as MetricType;
      family.typeSeen = true;
      this.indexSampleNames(family.family);
    } else {
      if (family.family.help !== undefined) this.fail(`second # HELP line for ${name}`, nameStart);
      family.family.help = this.unescapeHelp(t.slice(this.pos, this.lineEnd));
    }
  }

  private readonly declared = new Map<string, { family: MetricFamily; typeSeen: boolean }>();

  private familyFor(name: string, declaring: boolean): { family: MetricFamily; typeSeen: boolean } {
    let d = this.declared.get(name);
    if (!d) {
      const existing = this.families.get(name);
      if (existing && this.hasSamples.has(existing) && declaring) this.fail(`# metadata for ${name} after its samples`);
      const family: MetricFamily = existing ?? { name, type: 'untyped', samples: [] };
      d = { family, typeSeen: false };
      this.declared.set(name, d);
      if (!existing) this.families.set(name, family);
      this.bySampleName.set(name, family);
    }
    return d;
  }

  /** After `# TYPE x histogram`, samples named x_bucket/x_sum/x_count belong to x (summaries: x_sum, x_count). */
  private indexSampleNames(f: MetricFamily): void {
    const suffixes = f.type === 'histogram' ? ['_bucket', '_sum', '_count'] : f.type === 'summary' ? ['_sum', '_count'] : [];
    for (const s of suffixes) {
      const other = this.families.get(f.name + s);
      if (other && other !== f) this.fail(`${f.name + s} already appeared as its own metric before # TYPE ${f.name} ${f.type}`);
      this.bySampleName.set(f.name + s, f);
    }
  }

  private unescapeHelp(s: string): string {
    if (s.indexOf('\\') < 0) return s;
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== '\\' || i + 1 >= s.length) { out += c; continue; }
      const next = s[++i];
      if (next === 'n') out += '\n';
      else if (next === '\\') out += '\\';
      else out += '\\' + next; // HELP text keeps unknown escapes as written
    }
    return out;
  }

  private readName(): string {
    const t = this.text;
    const start = this.pos;
    if (this.pos >= this.lineEnd || !isNameStart(t.charCodeAt(this.pos))) return '';
    this.pos++;
    while (this.pos < this.lineEnd && isNameChar(t.charCodeAt(this.pos))) this.pos++;
    return this.intern(start, this.pos);
  }

  /**
   * Names repeat line after line; handing out the same string object keeps map lookups and property stores on
   * strings whose hash is already computed, which is most of the parser's speed.
   */
  private readonly names = new Map<number, string[]>();
  private intern(start: number, end: number): string {
    const t = this.text;
    const len = end - start;
    const key = len * 1024 + t.charCodeAt(end - 1) * 8 + (len > 1 ? t.charCodeAt(start + (len >> 1)) & 7 : 0);
    let bucket = this.names.get(key);
    if (bucket) {
      for (const n of bucket) if (t.startsWith(n, start)) return n;
    } else this.names.set(key, (bucket = []));
    const n = t.slice(start, end);
    if (bucket.length < 8) bucket.push(n);
    return n;
  }

  private parseSample(): void {
    const t = this.text;
    const nameStart = this.pos;
    const name = this.readName();
    if (!name) this.fail('expected a metric name, a comment or an empty line');
    const labels: Labels = {};
    this.leStart = this.leEnd = this.labelsStart = this.labelsEnd = -1;
    this.skipBlanks();
    if (this.pos < this.lineEnd && t.charCodeAt(this.pos) === LBRACE) {
      this.pos++;
      this.labelsStart = this.pos;
      this.parseLabels(labels);
      this.labelsEnd = this.pos - 1;
      this.skipBlanks();
    } else if (this.pos === nameStart + name.length && this.pos < this.lineEnd) {
      this.fail(`unexpected character "${t[this.pos]}" after the metric name`);
    }
    const valueStart = this.pos;
    while (this.pos < this.lineEnd && !isBlank(t.charCodeAt(this.pos))) this.pos++;
    if (valueStart === this.pos) this.fail('missing sample value');
    const valueText = t.slice(valueStart, this.pos);
    let value: number;
    try { value = parseSampleValue(valueText); } catch { this.fail(`invalid sample value "${valueText}"`, valueStart); }
    this.skipBlanks();
    let timestampMs: number | undefined;
    if (this.pos < this.lineEnd) {
      const tsStart = this.pos;
      while (this.pos < this.lineEnd && !isBlank(t.charCodeAt(this.pos))) this.pos++;
      const tsText = t.slice(tsStart, this.pos);
      if (!/^-?\d+$/.test(tsText)) this.fail(`invalid timestamp "${tsText}" (milliseconds, an integer)`, tsStart);
      timestampMs = Number(tsText);
      if (!Number.isSafeInteger(timestampMs)) this.fail(`timestamp "${tsText}" out of range`, tsStart);
      this.skipBlanks();
      if (this.pos < this.lineEnd) this.fail('unexpected text after the timestamp');
    }

    let family = this.bySampleName.get(name);
    if (!family) {
      family = { name, type: 'untyped', samples: [] };
      this.families.set(name, family);
      this.bySampleName.set(name, family);
    }
    this.checkSample(family, name, labels, nameStart);
    this.hasSamples.add(family);
    family.samples.push(timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs });
  }

  /**
   * A histogram series' buckets come on consecutive lines (every exporter writes them so), and the last one must be
   * le="+Inf". Comparing the label text around le with the previous line's finds series boundaries without
   * building a key per line.
   */
  private trackBucket(f: MetricFamily, le: number, labels: Labels): void {
    const r = this.run;
    const t = this.text;
    if (r && r.family === f && this.leStart >= 0 &&
      r.leStart - r.start === this.leStart - this.labelsStart && r.end - r.leEnd === this.labelsEnd - this.leEnd &&
      sameText(t, r.start, this.labelsStart, r.leStart - r.start) && sameText(t, r.leEnd, this.leEnd, r.end - r.leEnd)) {
      if (le > r.le) r.le = le;
      r.start = this.labelsStart; r.leStart = this.leStart; r.leEnd = this.leEnd; r.end = this.labelsEnd;
      return;
    }
    this.closeRun();
    this.run = { family: f, start: this.labelsStart, leStart: this.leStart, leEnd: this.leEnd, end: this.labelsEnd, le, line: this.lineNo, labels };
  }

  private closeRun(): void {
    const r = this.run;
    this.run = undefined;
    if (r && r.le !== Infinity) {
      const { le: _le, ...labels } = r.labels;
      throw new ExpositionParseError(r.line, 1, `histogram ${r.family.name}{${formatLabels(labels)}} ends without an le="+Inf" bucket (its buckets start on this line and must be consecutive)`, this.text.slice(this.lineStart, this.lineEnd));
    }
  }

  private checkSample(f: MetricFamily, name: string, labels: Labels, at: number): void {
    if (this.run && !(f.type === 'histogram' && name.length === f.name.length + 7 && name.endsWith('_bucket'))) this.closeRun();
    if (f.type === 'histogram') {
      if (name === f.name) this.fail(`histogram ${f.name} has a sample without _bucket, _sum or _count`, at);
      if (name.length === f.name.length + 7 && name.endsWith('_bucket')) {
        const le = labels.le;
        if (le === undefined) this.fail(`histogram bucket ${name} without an "le" label`, at);
        let bound = this.leValues.get(le);
        if (bound === undefined) {
          try { bound = parseSampleValue(le); } catch { this.fail(`histogram bucket ${name} has le="${le}", not a number`, at); }
          this.leValues.set(le, bound);
        }
        this.trackBucket(f, bound, labels);
      }
    } else if (f.type === 'summary' && name === f.name) {
      const q = labels.quantile;
      if (q === undefined) this.fail(`summary ${f.name} has a sample without a "quantile" label`, at);
      try { parseSampleValue(q); } catch { this.fail(`summary ${f.name} has quantile="${q}", not a number`, at); }
    }
  }

  private parseLabels(labels: Labels): void {
    const t = this.text;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.lineEnd) this.fail('unterminated label set: missing "}"');
      if (t.charCodeAt(this.pos) === RBRACE) { this.pos++; return; }
      const nameStart = this.pos;
      if (!isLabelStart(t.charCodeAt(this.pos))) this.fail('invalid label name');
      const pairStart = this.pos;
      this.pos++;
      while (this.pos < this.lineEnd && isLabelChar(t.charCodeAt(this.pos))) this.pos++;
      const labelName = this.intern(nameStart, this.pos);
      this.skipBlanks();
      if (t.charCodeAt(this.pos) !== EQ || this.pos >= this.lineEnd) this.fail(`expected "=" after label name ${labelName}`);
      this.pos++;
      this.skipBlanks();
      if (t.charCodeAt(this.pos) !== QUOTE || this.pos >= this.lineEnd) this.fail(`expected a quoted value for label ${labelName}`);
      this.pos++;
      const value = this.readLabelValue(labelName);
      if (labels[labelName] !== undefined && Object.prototype.hasOwnProperty.call(labels, labelName)) this.fail(`label ${labelName} appears twice`, nameStart);
      if (labelName === '__proto__') Object.defineProperty(labels, labelName, { value, enumerable: true, writable: true, configurable: true });
      else labels[labelName] = value;
      if (labelName === 'le') { this.leStart = pairStart; this.leEnd = this.pos; }
      this.skipBlanks();
      const c = t.charCodeAt(this.pos);
      if (this.pos < this.lineEnd && c === COMMA) { this.pos++; continue; }
      if (this.pos < this.lineEnd && c === RBRACE) { this.pos++; return; }
      this.fail('expected "," or "}" after a label value');
    }
  }

  private readLabelValue(labelName: string): string {
    const t = this.text;
    const start = this.pos;
    // Fast path: no escapes, the common case.
    while (this.pos < this.lineEnd) {
      const c = t.charCodeAt(this.pos);
      if (c === QUOTE) { const v = t.slice(start, this.pos); this.pos++; return v; }
      if (c === BACKSLASH) break;
      this.pos++;
    }
    let out = t.slice(start, this.pos);
    while (this.pos < this.lineEnd) {
      const c = t.charCodeAt(this.pos);
      if (c === QUOTE) { this.pos++; return out; }
      if (c === BACKSLASH) {
        const e = t.charCodeAt(this.pos + 1);
        if (this.pos + 1 >= this.lineEnd) break;
        if (e === BACKSLASH) out += '\\';
        else if (e === QUOTE) out += '"';
        else if (e === 110 /* n */) out += '\n';
        else this.fail(`invalid escape "\\${t[this.pos + 1]}" in the value of label ${labelName} (only \\\\, \\" and \\n)`);
        this.pos += 2;
        continue;
      }
      out += t[this.pos++];
    }
    this.fail(`unterminated value of label ${labelName}: missing closing quote`, start - 1);
  }

}

function sameText(t: string, a: number, b: number, len: number): boolean {
  if (a === b) return true;
  for (let i = 0; i < len; i++) if (t.charCodeAt(a + i) !== t.charCodeAt(b + i)) return false;
  return true;
}

export function formatLabels(labels: Labels): string {
  return Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

/** A stable key for a label set (order-independent), optionally leaving some labels out. */
export function labelsKey(labels: Labels, omit?: string): string {
  const keys = Object.keys(labels).filter((k) => k !== omit).sort();
  let out = '';
  for (const k of keys) out += k + '\u0000' + labels[k] + '\u0001';
  return out;
}

/** The family's histograms, one per label set (without `le`), buckets sorted by their upper bound. */
export function histogramSeries(f: MetricFamily): HistogramSeries[] {
  const byKey = new Map<string, HistogramSeries>();
  const get = (labels: Labels, omitLe: boolean) => {
    const key = labelsKey(labels, omitLe ? 'le' : undefined);
    let h = byKey.get(key);
    if (!h) {
      const own: Labels = {};
      for (const k in labels) if (!omitLe || k !== 'le') own[k] = labels[k];
      h = { labels: own, buckets: [], sum: NaN, count: NaN };
      byKey.set(key, h);
    }
    return h;
  };
  for (const s of f.samples) {
    if (s.name === f.name + '_bucket') get(s.labels, true).buckets.push({ le: parseSampleValue(s.labels.le), count: s.value });
    else if (s.name === f.name + '_sum') get(s.labels, false).sum = s.value;
    else if (s.name === f.name + '_count') get(s.labels, false).count = s.value;
  }
  for (const h of byKey.values()) h.buckets.sort((a, b) => a.le - b.le);
  return [...byKey.values()];
}

/** Families by name, for lookups. */
export function familyMap(families: readonly MetricFamily[]): Map<string, MetricFamily> {
  return new Map(families.map((f) => [f.name, f]));
}
