// Generates ../prometheus.schema.json (JSON Schema draft-07) from the Prometheus configuration reference
// (configuration-reference.md, Apache-2.0, copied beside this script). The reference's YAML blocks give every key,
// its placeholder type, default and comment; `overrides.mjs` adds what prose alone states (enums, required keys,
// mutually exclusive options). Run: node schemas/prometheus/generate.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enums, required, exclusive, oneRequired, extraProperties, typeOverrides } from './overrides.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const md = readFileSync(join(here, 'configuration-reference.md'), 'utf8');

// ---- 1. Split the reference into sections and pick each section's configuration block. ----
function sections() {
  const lines = md.split('\n');
  const out = new Map();
  let name = 'configuration';
  let blocks = [];
  let current = null;
  const flush = () => {
    // A section may show examples before its real block; the configuration block is the longest one that
    // does not start with a list item.
    const candidates = blocks.filter((b) => !/^\s*-/.test(b.find((l) => l.trim() && !l.trim().startsWith('#')) ?? ''));
    candidates.sort((a, b) => b.length - a.length);
    if (candidates[0]) out.set(name, candidates[0]);
  };
  for (const line of lines) {
    const h = /^### `<([a-z_0-9]+)>`/.exec(line);
    if (h && !current) { flush(); name = h[1]; blocks = []; continue; }
    if (current) {
      if (line.startsWith('```')) { blocks.push(current); current = null; } else current.push(line);
    } else if (line.startsWith('```yaml')) current = [];
  }
  flush();
  return out;
}

// ---- 2. Parse a block into a tree of entries. ----
// Brackets mark optional parts; strip them so indentation reflects nesting.
function normalise(raw) {
  const s = raw.replace(/\s+$/, '');
  const indent = s.length - s.trimStart().length;
  let text = s.trim();
  while (text.startsWith('[') && !/^\[\s*<[a-z_0-9]+>\s*,/.test(text)) text = text.slice(1).trimStart();
  // Drop closing brackets that have no opening partner on this line.
  const count = (c) => [...text].filter((x) => x === c).length;
  for (;;) {
    const m = /\s*\]\s*(:?)\s*$/.exec(text);
    if (!m || count(']') <= count('[')) break;
    text = text.slice(0, m.index) + (m[1] ? ':' : '');
  }
  return { indent, text: text.trim() };
}

function parseBlock(lines) {
  const items = [];
  let comment = [];
  for (const raw of lines) {
    const t = raw.trim();
    if (!t) { comment = []; continue; }
    if (t.startsWith('#')) { comment.push(t.replace(/^#\s?/, '')); continue; }
    const { indent, text } = normalise(raw);
    items.push({ indent, text, comment: comment.join('\n').trim() });
    comment = [];
  }
  // Build a tree by indentation.
  const root = { children: [] };
  const stack = [{ indent: -1, node: root }];
  for (const it of items) {
    while (stack.length > 1 && stack[stack.length - 1].indent >= it.indent) stack.pop();
    const node = { ...it, children: [] };
    const siblings = stack[stack.length - 1].node.children;
    const prev = siblings[siblings.length - 1];
    // "key:" followed by its list body at the same column (e.g. tags_filter) still owns that body.
    if (prev && prev.indent === it.indent && /:$/.test(prev.text) && prev.children.length === 0 && /^(- |<)/.test(it.text)) {
      prev.children.push(node);
      continue;
    }
    siblings.push(node);
    stack.push({ indent: it.indent, node });
  }
  return root.children;
}

// ---- 3. Turn placeholders into schemas. ----
const scalarRefs = {
  duration: 'duration', size: 'size', int: 'int', uint: 'uint', float: 'float', boolean: 'boolean', bool: 'boolean',
  string: 'string', secret: 'secret', filename: 'filename', file_name: 'filename', filepath_glob: 'string',
  filename_pattern: 'string', host: 'host', path: 'string', labelname: 'labelname', labelvalue: 'labelvalue',
  scheme: 'scheme', regex: 'regex', relabel_action: 'relabel_action', tmpl_string: 'string', job_name: 'string',
  port: 'int', endpoint: 'string', region: 'string', tagkey: 'string', tagname: 'string', name: 'string',
};

function placeholderSchema(ph, sectionNames) {
  const m = /^<([^>]+)>$/.exec(ph.trim().replace(/^'|'$/g, ''));
  if (!m) return { $ref: '#/definitions/string' };
  const name = m[1];
  if (scalarRefs[name]) return { $ref: `#/definitions/${scalarRefs[name]}` };
  if (sectionNames.has(name)) return { $ref: `#/definitions/${name}` };
  // Sub-blocks of <http_config> that other sections name directly (e.g. oci_sd_config's basic_auth).
  if (['basic_auth', 'authorization'].includes(name)) return { $ref: `#/definitions/http_config/properties/${name}` };
  unknownPlaceholders.add(name);
  return { $ref: '#/definitions/string' };
}
const unknownPlaceholders = new Set();

function parseDefault(rest) {
  const d = /\|\s*default\s*[:=]?\s*(.*)$/.exec(rest);
  if (!d) return undefined;
  let v = d[1].trim().replace(/\s*\]$/, '').replace(/^["']|["']$/g, '');
  if (v.startsWith('<')) return undefined; // inherits from another setting
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === '[ ]' || v === '[]') return [];
  return v;
}

// A value after "key:" on the same line.
function inlineValue(rest, sectionNames) {
  const v = rest.replace(/\|.*$/, '').trim();
  if (/^\[\s*<[a-z_0-9]+>\s*,\s*\.\.\.\s*\]$/.test(v) || /^'\['\s*<[a-z_0-9]+>/.test(v) || /^<[a-z_0-9]+>\s*,\s*\[\.\.\.\]$/.test(v)) {
    const inner = /<([a-z_0-9]+)>/.exec(v)[0];
    return { type: 'array', items: placeholderSchema(inner, sectionNames) };
  }
  return placeholderSchema(v, sectionNames);
}

function describe(schema, node, def) {
  const out = { ...schema };
  if (node.comment) out.description = node.comment;
  if (def !== undefined) out.default = def;
  return out;
}

function objectFrom(children, sectionNames, ctx) {
  const properties = {};
  const mixins = [];
  for (const c of children) {
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(c.text);
    if (!kv) {
      const mix = /^<([a-z_0-9]+)>$/.exec(c.text);
      if (mix && sectionNames.has(mix[1])) { mixins.push(mix[1]); continue; }
      ctx.unparsed.push(c.text);
      continue;
    }
    const [, key, rest] = kv;
    const def = parseDefault(rest);
    let schema;
    if (rest.replace(/\|.*$/, '').trim() === '' || rest.trim().startsWith('<retention>')) schema = containerFrom(c.children, sectionNames, ctx);
    else schema = inlineValue(rest, sectionNames);
    properties[key] = describe(schema, c, def);
  }
  return { properties, mixins };
}

// "key:" followed by an indented body.
function containerFrom(children, sectionNames, ctx) {
  if (children.length === 0) return { type: 'object' };
  const first = children[0].text;
  let m;
  if ((m = /^- (<[a-z_0-9]+>|'<[a-z_0-9]+>')(\s*\.\.\.)?$/.exec(first))) return { type: 'array', items: placeholderSchema(m[1], sectionNames) };
  if (/^- [a-z_0-9]+\s*:/.test(first)) {
    // A list of inline objects: re-parse the first item's key and its siblings.
    const head = { ...children[0], text: first.slice(2) };
    const inner = objectFrom([head, ...children[0].children, ...children.slice(1)], sectionNames, ctx);
    return { type: 'array', items: { type: 'object', properties: inner.properties, additionalProperties: false } };
  }
  if ((m = /^<([a-z_0-9]+)>$/.exec(first)) && children.length === 1) return placeholderSchema(first, sectionNames);
  if ((m = /^<[a-z_0-9]+>\s*:\s*(\[?<[a-z_0-9]+>.*?)(\s*\.\.\.)?$/.exec(first))) {
    return { type: 'object', additionalProperties: inlineValue(m[1].replace(/\s*\.\.\.$/, ''), sectionNames) };
  }
  if (/^<[a-z_0-9]+>\s*:$/.test(first)) {
    const inner = objectFrom(children[0].children, sectionNames, ctx);
    return { type: 'object', additionalProperties: { type: 'object', properties: inner.properties, additionalProperties: false } };
  }
  const inner = objectFrom(children, sectionNames, ctx);
  return withMixins({ type: 'object', properties: inner.properties, additionalProperties: false }, inner.mixins, ctx);
}

function withMixins(schema, mixins, ctx) {
  for (const m of mixins) {
    ctx.pendingMixins.push({ schema, mixin: m });
  }
  return schema;
}

// ---- 4. Assemble. ----
const secs = sections();
const sectionNames = new Set([...secs.keys()]);
for (const alias of ['metric_relabel_configs', 'alert_relabel_configs']) sectionNames.delete(alias);
const ctx = { unparsed: [], pendingMixins: [] };
const definitions = {};
for (const [name, block] of secs) {
  const tree = parseBlock(block);
  const { properties, mixins } = objectFrom(tree, sectionNames, ctx);
  const schema = { type: 'object', properties, additionalProperties: false };
  withMixins(schema, mixins, ctx);
  definitions[name] = schema;
}

// Every service discovery works wherever targets are discovered (scrape and Alertmanager configs), even where
// the reference's list omits one.
{
  const hosts = [definitions.scrape_config, definitions.alertmanager_config];
  const sd = {};
  for (const h of hosts) for (const [k, v] of Object.entries(h.properties)) if (/_sd_configs$/.test(k)) sd[k] ??= v;
  for (const h of hosts) for (const [k, v] of Object.entries(sd)) h.properties[k] ??= v;
}

// Top-level: the "configuration" block holds the file's sections.
const root = definitions.configuration;
delete definitions.configuration;

// Mix-ins (`[ <http_config> ]`) copy their properties and exclusivity rules into the host object, because
// draft-07's additionalProperties cannot see through allOf.
for (const { schema, mixin } of ctx.pendingMixins) {
  const src = definitions[mixin];
  schema.properties = { ...src.properties, ...schema.properties };
}

// Placeholder types.
const yaml11Booleans = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF'];
Object.assign(definitions, {
  // Prometheus reads YAML with a YAML 1.1 decoder: any scalar decodes into a string field, and yes/no/on/off are
  // booleans. Accept what Prometheus accepts; the schema must never reject a valid file.
  string: { type: ['string', 'number', 'boolean'], description: 'A string.' },
  secret: { type: ['string', 'number', 'boolean'], description: 'A secret string (hidden on the configuration page).' },
  filename: { type: ['string', 'number'], description: 'A path, relative to the configuration file\'s directory.' },
  labelname: { type: 'string', minLength: 1, description: 'A label name: any UTF-8 string in Prometheus 3 (the default name validation); under legacy validation, letters, digits and underscores, not starting with a digit.' },
  labelvalue: { type: ['string', 'number', 'boolean'], description: 'A label value: a string of Unicode characters.' },
  regex: { type: ['string', 'number', 'boolean'], description: 'An RE2 regular expression, anchored at both ends (Prometheus matches the whole value).' },
  host: { type: ['string', 'number'], description: 'A hostname or IP followed by an optional port number.' },
  boolean: { oneOf: [{ type: 'boolean' }, { type: 'string', enum: yaml11Booleans.filter((b) => !/^(true|false)$/i.test(b)).concat(['True', 'TRUE', 'False', 'FALSE']) }], description: 'true or false.' },
  int: { type: 'integer', description: 'An integer.' },
  uint: { type: 'integer', minimum: 0, description: 'A non-negative integer.' },
  float: { type: 'number', description: 'A floating-point number.' },
  duration: {
    description: 'A duration, e.g. 1d, 1h30m, 5m, 10s (units y, w, d, h, m, s, ms, largest first; 0 alone needs no unit).',
    oneOf: [
      { type: 'string', pattern: '^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$', minLength: 1 },
      { type: 'integer', enum: [0] },
    ],
  },
  size: {
    description: 'A size in bytes, e.g. 512MB. A unit is required. Supported units: B, KB, MB, GB, TB, PB, EB (powers of 2: 1KB is 1024B). 0 means no limit.',
    oneOf: [
      { type: 'string', pattern: '^(0|([0-9]+(\\.[0-9]+)?([KMGTPE]i?)?B)+)$' },
      { type: 'integer', enum: [0] },
    ],
  },
  scheme: { type: 'string', enum: ['http', 'https'], description: 'http or https.' },
  relabel_action: {
    type: 'string',
    enum: ['replace', 'lowercase', 'uppercase', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep'],
    description: 'The relabeling action.',
  },
});

// Overrides: enums, required keys, exclusive options, type fixes.
function at(path) {
  // path like 'kubernetes_sd_config.role' or 'configuration.global.scrape_interval'
  const parts = path.split('.');
  let node = parts[0] === 'configuration' ? root : definitions[parts[0]];
  for (const p of parts.slice(1)) {
    if (!node) break;
    node = node.properties?.[p] ?? node.items?.properties?.[p] ?? node.additionalProperties?.properties?.[p];
  }
  if (!node) throw new Error(`override path not found: ${path}`);
  return node;
}
for (const [path, props] of Object.entries(extraProperties)) {
  const n = at(path);
  Object.assign(n.properties, props);
}
const enumNodes = [];
for (const [path, values] of Object.entries(enums)) {
  const n = at(path);
  if (n.type === 'array') n.items = { type: 'string', enum: values };
  else { delete n.$ref; n.type = 'string'; n.enum = [...values, null]; enumNodes.push(n); }
}
for (const [path, schema] of Object.entries(typeOverrides)) {
  const n = at(path);
  for (const k of Object.keys(n)) if (k !== 'description' && k !== 'default') delete n[k];
  Object.assign(n, schema);
}
for (const [path, keys] of Object.entries(required)) { const n = at(path); (n.type === 'array' ? n.items : n).required = keys; }
// Groups of keys of which at most one may be set ("x-exclusive") or exactly one must be ("x-one-required"); our
// validator (src/core/validation/prometheus) reads them, since "set" means "not empty" in Prometheus.
for (const [path, groups] of Object.entries(exclusive)) { const n = at(path); n['x-exclusive'] = [...(n['x-exclusive'] ?? []), ...groups]; }
for (const [path, groups] of Object.entries(oneRequired)) { const n = at(path); n['x-one-required'] = groups; }
// Re-apply mix-ins so hosts pick up the http_config properties and exclusivity rules added above.
for (const { schema, mixin } of ctx.pendingMixins) {
  const src = definitions[mixin];
  for (const [k, v] of Object.entries(src.properties)) schema.properties[k] ??= v;
  if (src['x-exclusive']) schema['x-exclusive'] = [...new Map([...(schema['x-exclusive'] ?? []), ...src['x-exclusive']].map((g) => [g.join(), g])).values()];
}

// Prometheus's YAML decoder treats an empty value (null) as "not set", so every value may be null.
(function allowNull(node) {
  if (Array.isArray(node)) { node.forEach(allowNull); return; }
  if (!node || typeof node !== 'object') return;
  if (typeof node.type === 'string' && (node.type === 'object' || node.type === 'array')) node.type = [node.type, 'null'];
  for (const v of Object.values(node)) allowNull(v);
})([root, definitions]);
for (const name of ['string', 'secret', 'filename']) definitions[name].type.push('null');
// Fold null into the type (not anyOf) so editors report "expected integer", not a confusing union.
for (const name of ['int', 'uint', 'float', 'scheme', 'relabel_action', 'labelname']) {
  const d = definitions[name];
  d.type = [d.type, 'null'];
  if (d.enum) d.enum = [...d.enum, null];
}
for (const name of ['boolean', 'duration', 'size']) definitions[name].oneOf.push({ type: 'null' });
for (const n of Object.values(enums).length ? enumNodes : []) n.type = ['string', 'null'];

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://tfserving-studio.invalid/schemas/prometheus.schema.json',
  title: 'Prometheus configuration (prometheus.yml), Prometheus 3.x',
  description: 'Generated from the Prometheus configuration reference (Apache-2.0).',
  ...root,
  definitions,
};
writeFileSync(join(here, '..', 'prometheus.schema.json'), JSON.stringify(schema, null, 2) + '\n');
writeFileSync(join(here, '..', 'prometheus.editor.schema.json'), JSON.stringify(editorSchema(schema), null, 2) + '\n');
if (unknownPlaceholders.size) console.error(`placeholders read as strings: ${[...unknownPlaceholders].join(', ')}`);
if (ctx.unparsed.length) console.error('unparsed lines:\n  ' + ctx.unparsed.join('\n  '));
console.log(`prometheus.schema.json: ${Object.keys(definitions).length} definitions`);

// The schema the YAML engines (Red Hat YAML, our embedded yaml-language-server) get for completion and hover only:
// the same keys, descriptions and defaults, with every constraint removed, so that the only diagnostics on a
// prometheus.yml are our validator's. Enumerations stay as an anyOf that always matches, which still feeds value
// completion and the hover's list of values for real enumerations.
function editorSchema(strict) {
  const strip = (node) => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (['type', 'required', 'pattern', 'minLength', 'minimum', 'allOf', 'not', 'oneOf', 'anyOf', 'x-exclusive', 'x-one-required'].includes(k)) continue;
      if (k === 'additionalProperties' && typeof v !== 'object') continue;
      if (k === 'enum') continue;
      out[k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strip(s)])) : strip(v);
    }
    // "One of the values, or anything else": never fails, and only one branch matches, so hovers show the
    // description once (yaml-language-server joins the titles of an anyOf whose branches all match).
    const open = (values) => [{ enum: values }, { not: { enum: values } }];
    const values = (node.enum ?? []).filter((v) => v !== null);
    if (values.length) out.anyOf = open(values);
    if (node.type === 'boolean' || (Array.isArray(node.oneOf) && node.oneOf.some((b) => b.type === 'boolean'))) out.anyOf = open([true, false]);
    return out;
  };
  // No title: hovers would repeat it above every description.
  const { title: _title, ...rest } = strip(strict);
  return { ...rest, $id: 'https://tfserving-studio.invalid/schemas/prometheus.editor.schema.json', description: 'Completion and hover for prometheus.yml (checks come from TF Serving Studio\'s validator).' };
}
