// Generates JSON Schemas (draft-07) for the Kubernetes kinds a TF Serving deployment uses, from the models that
// @kubernetes/client-node generates from the official Kubernetes OpenAPI spec (the pinned devDependency; its
// models state "OpenAPI spec version: release-1.36"). Types and property names come from each model's
// attributeTypeMap, required properties and descriptions from its .d.ts. Output: schemas/kubernetes/*.json.
// Run: npm run schemas
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const modelsDir = join(pkgDir, 'dist', 'gen', 'models');
const outDir = join(root, 'schemas', 'kubernetes');

export const kinds = [
  { apiVersion: 'apps/v1', kind: 'Deployment', model: 'V1Deployment' },
  { apiVersion: 'v1', kind: 'Service', model: 'V1Service' },
  { apiVersion: 'v1', kind: 'Secret', model: 'V1Secret' },
  { apiVersion: 'v1', kind: 'ConfigMap', model: 'V1ConfigMap' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', model: 'V2HorizontalPodAutoscaler' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', model: 'V1Ingress' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', model: 'V1PodDisruptionBudget' },
  { apiVersion: 'v1', kind: 'ServiceAccount', model: 'V1ServiceAccount' },
  { apiVersion: 'v1', kind: 'Namespace', model: 'V1Namespace' },
];

// resource.Quantity is a string in the OpenAPI spec, but the API server also takes numbers (`cpu: 1`).
const quantities = new Set([
  'V1ResourceRequirements.limits', 'V1ResourceRequirements.requests', 'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests', 'V1EmptyDirVolumeSource.sizeLimit', 'V1PodSpec.overhead',
  'V2MetricTarget.averageValue', 'V2MetricTarget.value', 'V2MetricValueStatus.averageValue', 'V2MetricValueStatus.value',
]);
const quantity = { type: ['string', 'number', 'null'], description: 'A quantity: a number with an optional suffix (100m, 1Gi, 2).' };

function readModel(name) {
  const js = readFileSync(join(modelsDir, `${name}.js`), 'utf8');
  const m = new RegExp(`${name}\\.attributeTypeMap = (\\[[\\s\\S]*?\\]);`).exec(js);
  if (!m) throw new Error(`no attributeTypeMap in ${name}`);
  const attrs = JSON.parse(m[1]);
  const dts = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
  // Walk the declaration line by line: a doc comment belongs to the property declared right after it.
  const cleanDoc = (lines) => lines.map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, '')).join('\n').replace(/\\(['"])/g, '$1').trim();
  const lines = dts.split('\n');
  const classAt = lines.findIndex((l) => l.startsWith('export declare class'));
  let classDoc;
  {
    let j = classAt - 1;
    if (lines[j]?.trim() === '*/') {
      const end = j;
      while (j > 0 && !lines[j].trim().startsWith('/**')) j--;
      classDoc = cleanDoc(lines.slice(j + 1, end));
    }
  }
  const docs = new Map();
  const optional = new Map();
  let pendingDoc;
  let inDoc = false;
  let buf = [];
  for (const line of lines.slice(classAt + 1)) {
    const t = line.trim();
    if (t.startsWith('/**')) { inDoc = true; buf = []; continue; }
    if (inDoc) { if (t === '*/') { inDoc = false; pendingDoc = cleanDoc(buf); } else buf.push(line); continue; }
    const m = /^'([^']+)'(\?)?:/.exec(t);
    if (m) { docs.set(m[1], pendingDoc); optional.set(m[1], m[2] === '?'); pendingDoc = undefined; }
    else if (t && !t.startsWith('}') && !t.startsWith('[') && !/^[A-Za-z]/.test(t)) continue;
    else if (/^(static|constructor)/.test(t)) pendingDoc = undefined;
  }
  const props = {};
  for (const a of attrs) {
    props[a.baseName] = { name: a.name, type: a.type, format: a.format, required: optional.get(a.name) === false, doc: docs.get(a.name) || undefined };
  }
  return { attrs, props, doc: classDoc };
}

function scalar(type, format) {
  switch (type) {
    // null is "not set" for the API server, so every value may be null.
    case 'string': return { type: ['string', 'null'] };
    case 'boolean': return { type: ['boolean', 'null'] };
    case 'Date': return { type: ['string', 'null'], format: 'date-time' };
    case 'number': return format === 'double' || format === 'float' ? { type: ['number', 'null'] } : { type: ['integer', 'null'] };
    case 'IntOrString': return { type: ['integer', 'string', 'null'] };
    case 'any': return {};
    default: return undefined;
  }
}

function build(model) {
  const definitions = {};
  const pending = [model];
  const typeSchema = (type, format) => {
    const s = scalar(type, format);
    if (s) return s;
    let m;
    if ((m = /^Array<(.+)>$/.exec(type))) return { type: ['array', 'null'], items: typeSchema(m[1], format) };
    if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: ['object', 'null'], additionalProperties: typeSchema(m[1], format) };
    pending.push(type);
    return { $ref: `#/definitions/${type}` };
  };
  while (pending.length) {
    const name = pending.pop();
    if (definitions[name]) continue;
    definitions[name] = {}; // placeholder against cycles
    const { props, doc } = readModel(name);
    const properties = {};
    const required = [];
    for (const [key, p] of Object.entries(props)) {
      let s = quantities.has(`${name}.${p.name}`)
        ? (/^\{/.test(p.type) ? { type: ['object', 'null'], additionalProperties: quantity } : { ...quantity })
        : typeSchema(p.type, p.format);
      if (p.doc) s = s.$ref ? { allOf: [s], description: p.doc } : { ...s, description: p.doc };
      properties[key] = s;
      if (p.required) required.push(key);
    }
    definitions[name] = { type: ['object', 'null'], ...(doc ? { description: doc } : {}), properties, additionalProperties: false, ...(required.length ? { required } : {}) };
  }
  return definitions;
}

mkdirSync(outDir, { recursive: true });
// Drop previously generated schemas (a kind may have been removed); README.md stays.
for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(join(outDir, f));
const index = [];
for (const k of kinds) {
  const definitions = build(k.model);
  const top = definitions[k.model];
  delete definitions[k.model];
  top.properties.apiVersion = { ...top.properties.apiVersion, enum: [k.apiVersion] };
  top.properties.kind = { ...top.properties.kind, enum: [k.kind] };
  top.required = [...new Set(['apiVersion', 'kind', ...(top.required ?? [])])];
  top.type = 'object';
  const file = `${k.kind.toLowerCase()}-${k.apiVersion.replace(/[./]/g, '-')}.json`;
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://tfserving-studio.invalid/schemas/kubernetes/${file}`,
    title: `${k.kind} (${k.apiVersion}), Kubernetes 1.36`,
    ...top,
    definitions,
  };
  writeFileSync(join(outDir, file), JSON.stringify(schema) + '\n');
  index.push({ apiVersion: k.apiVersion, kind: k.kind, file });
}
writeFileSync(join(outDir, 'index.json'), JSON.stringify({ source: `@kubernetes/client-node ${pkg.version}`, kubernetes: 'release-1.36', kinds: index }, null, 2) + '\n');
console.log(`schemas/kubernetes: ${index.length} kinds from @kubernetes/client-node ${pkg.version} (${readdirSync(outDir).filter((f) => f.endsWith('.json')).length} files)`);
