// Validates parsed YAML documents against JSON Schemas (draft-07) with ajv and turns ajv's errors into findings
// on the exact key or value. One compiled validator per schema object, reused across calls.
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document } from 'yaml';
import type { Finding } from './finding';
import { documentValue, MAX_YAML_DEPTH, nodeAt, nodeRange, type YamlFile } from './yamlDocuments';

// Formats (date-time…) are informative in these schemas; the servers accept more than ajv's format checks would.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, allowUnionTypes: true, validateFormats: false, logger: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

function pathOf(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function shown(path: string[]): string {
  return path.length ? path.join('.') : 'document';
}

function short(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s && s.length > 40 ? s.slice(0, 37) + '…' : String(s);
}

/** Keeps one message per problem: a failed oneOf/anyOf replaces the errors of its branches. */
function condense(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    return !unions.some((u) => u !== e && u.instancePath === e.instancePath && e.schemaPath.startsWith(u.schemaPath.replace(/\/(oneOf|anyOf)$/, '') + '/'));
  });
}

function describeError(e: ErrorObject, path: string[]): string {
  const where = shown(path);
  const desc = (e.parentSchema as { description?: string } | undefined)?.description?.split('\n')[0];
  switch (e.keyword) {
    case 'additionalProperties':
      return `Unknown key "${(e.params as { additionalProperty: string }).additionalProperty}" in ${where}.`;
    case 'required':
      return `Missing required key "${(e.params as { missingProperty: string }).missingProperty}" in ${where}.`;
    case 'enum':
      return `${where}: "${short(e.data)}" is not one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'const':
      return `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}.`;
    case 'type': {
      const t = (e.params as { type: string | string[] }).type;
      // null is always allowed as "not set"; naming it would only confuse.
      const wanted = (Array.isArray(t) ? t : String(t).split(',')).filter((x) => x !== 'null').join(' or ');
      const got = e.data === null ? 'null' : Array.isArray(e.data) ? 'a list' : typeof e.data === 'object' ? 'a map' : JSON.stringify(e.data);
      return `${where} must be ${wanted}, not ${got}.`;
    }
    case 'oneOf':
    case 'anyOf':
      return `${where}: invalid value ${short(e.data)}${desc ? ` (${desc})` : ''}.`;
    case 'not': {
      const req = (e.schema as { required?: string[] } | undefined)?.required;
      if (req && req.length > 1) return `${req.join(' and ')} are mutually exclusive in ${where}.`;
      return `${where}: ${e.message ?? 'invalid'}.`;
    }
    case 'pattern':
      return `${where}: "${short(e.data)}" is not valid${desc ? ` (${desc})` : ''}.`;
    default:
      return `${where} ${e.message ?? 'is invalid'}.`;
  }
}

export function validateDocument(fileName: string, file: YamlFile, doc: Document.Parsed, schema: object): Finding[] {
  const validate = validatorFor(schema);
  const data = documentValue(file, doc);
  if (validate(data)) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const e of condense(validate.errors ?? [])) {
    const path = pathOf(e.instancePath);
    const { node, pair } = nodeAt(doc.contents, path);
    let target: Parameters<typeof nodeRange>[1] = node ?? doc.contents;
    if (e.keyword === 'additionalProperties') {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      target = nodeAt(doc.contents, [...path, key]).pair ?? target;
    } else if (e.keyword === 'not') {
      const req = (e.schema as { required?: string[] } | undefined)?.required;
      if (req) target = nodeAt(doc.contents, [...path, req[req.length - 1]]).pair ?? target;
    } else if (e.keyword === 'required' || e.keyword === 'dependencies') {
      target = pair ?? target;
    }
    const range = nodeRange(file, target, doc.range[0]);
    // A missing key on a whole map would underline the map; underline its first line only.
    if (e.keyword === 'required' && !pair && range.end.line > range.start.line) { range.end = { line: range.start.line + 1, character: 0 }; }
    const message = describeError(e, path);
    const id = `${range.start.line}:${range.start.character}:${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push({ file: fileName, range, severity: 'error', message, code: 'schema' });
  }
  return findings;
}

/** YAML syntax errors of every document, as findings. */
export function yamlSyntaxFindings(fileName: string, file: YamlFile): Finding[] {
  const out: Finding[] = [];
  if (file.tooDeep) {
    const at = file.lineCounter.linePos(file.tooDeep.offset);
    const pos = { line: at.line - 1, character: at.col - 1 };
    out.push({
      file: fileName, range: { start: pos, end: pos }, severity: 'error', code: 'yaml.too-deep',
      message: `YAML nests deeper than ${MAX_YAML_DEPTH} levels here, so the file was not checked. No manifest or Prometheus config nests this deep: check how it was generated.`,
    });
  }
  for (const doc of file.documents) {
    for (const err of doc.errors) {
      const [s, e] = err.pos;
      const lc = file.lineCounter;
      const a = lc.linePos(s);
      const b = lc.linePos(Math.max(s + 1, e));
      out.push({
        file: fileName,
        range: { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } },
        severity: 'error',
        message: `YAML: ${err.message.split('\n')[0]}`,
        code: 'yaml.syntax',
      });
    }
  }
  return out;
}
