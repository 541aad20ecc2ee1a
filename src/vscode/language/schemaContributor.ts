// Answers "which schema for this YAML file" and "what is this schema's content" for both YAML engines: Red Hat
// YAML's contributor API and our embedded yaml-language-server ask the same two questions. Kubernetes files get a
// schema per document (apiVersion + kind) through yaml-language-server's `schemaSequence`; the URI names the
// per-document schema files, so a URI always means the same content and the server's schema cache stays right.
// No vscode import: unit-tested with fakes.
import { nodeAt, parseYamlFile, scalarString } from '../../core/validation/yamlDocuments';

export const SCHEMA_SCHEME = 'tfserving-schema';
// The editor's Prometheus schema only feeds completion and hover; our validator reports every problem (see
// schemas/README.md), so a YAML engine never adds its own words to a prometheus.yml.
const PROMETHEUS_URI = `${SCHEMA_SCHEME}://schemas/prometheus.editor.schema.json`;
const K8S_PREFIX = `${SCHEMA_SCHEME}://schemas/kubernetes/`;
/** A document with no schema of ours (a CRD, another kind) inside a sequence. */
const NONE = 'none';

export interface KubernetesKind {
  apiVersion: string;
  kind: string;
  file: string;
}

export interface SchemaSources {
  /** Current text of an open document (by URI string), or undefined when it is not open. */
  textOf(resource: string): string | undefined;
  /** Whether the file is a Prometheus config (built-in patterns or the user's globs). */
  isPrometheus(resource: string): boolean;
  /** Reads a file under the extension's schemas/ folder, e.g. `kubernetes/service-v1.json`. */
  readSchema(relativePath: string): string;
}

export class SchemaContributor {
  private kinds?: Map<string, string>;
  private lastText?: string;
  private lastUri?: string;
  private lastAnswer?: string;
  private readonly contents = new Map<string, string>();

  constructor(private readonly sources: SchemaSources) {}

  private kindFiles(): Map<string, string> {
    if (!this.kinds) {
      const index = JSON.parse(this.sources.readSchema('kubernetes/index.json')) as { kinds: KubernetesKind[] };
      this.kinds = new Map(index.kinds.map((k) => [`${k.apiVersion} ${k.kind}`, k.file.replace(/\.json$/, '')]));
    }
    return this.kinds;
  }

  /** Per-document schema file names of a YAML text (NONE where we have no schema), or undefined if none has one. */
  documentSchemas(text: string): string[] | undefined {
    const files = this.kindFiles();
    const docs = parseYamlFile(text).documents;
    const names = docs.map((d) => files.get(`${scalarString(nodeAt(d.contents, ['apiVersion']).node)} ${scalarString(nodeAt(d.contents, ['kind']).node)}`) ?? NONE);
    return names.some((n) => n !== NONE) ? names : undefined;
  }

  /** Whether a resource gets the Prometheus schema (its diagnostics come from our validator, not the engine). */
  isPrometheus(resource: string): boolean {
    return this.sources.isPrometheus(resource);
  }

  /** Schema URI for a YAML resource, or undefined when it is none of ours (the engine then applies its defaults). */
  requestSchema(resource: string): string | undefined {
    if (this.sources.isPrometheus(resource)) return PROMETHEUS_URI;
    const text = this.sources.textOf(resource);
    if (text === undefined) return undefined;
    // yaml-language-server asks once per document of a file: parse each text once.
    if (text !== this.lastText || resource !== this.lastUri) {
      this.lastText = text;
      this.lastUri = resource;
      const names = this.documentSchemas(text);
      this.lastAnswer = names && (names.length === 1 ? `${K8S_PREFIX}${names[0]}.json` : `${K8S_PREFIX}documents/${names.join('~')}.json`);
    }
    return this.lastAnswer;
  }

  /** JSON text of a schema URI returned by requestSchema. */
  requestSchemaContent(uri: string): string {
    const key = decodeURIComponent(uri);
    let content = this.contents.get(key);
    if (content === undefined) {
      content = this.load(key);
      this.contents.set(key, content);
    }
    return content;
  }

  private load(uri: string): string {
    if (uri === PROMETHEUS_URI) return this.sources.readSchema('prometheus.editor.schema.json');
    if (!uri.startsWith(K8S_PREFIX)) throw new Error(`Unknown schema ${uri}`);
    const rest = uri.slice(K8S_PREFIX.length).replace(/\.json$/, '');
    const known = new Set(this.kindFiles().values());
    const read = (name: string) => {
      if (!known.has(name)) throw new Error(`Unknown Kubernetes schema ${name}`);
      return this.sources.readSchema(`kubernetes/${name}.json`);
    };
    if (!rest.startsWith('documents/')) return read(rest);
    // One entry per YAML document. `#/definitions/…` references resolve against the root, so the root carries
    // the definitions of every kind (the generated schemas share names only for identical definitions).
    const definitions: Record<string, unknown> = {};
    const sequence = rest.slice('documents/'.length).split('~').map((name) => {
      if (name === NONE) return {};
      const { $schema: _s, $id: _i, definitions: defs, ...schema } = JSON.parse(read(name)) as Record<string, unknown>;
      Object.assign(definitions, defs);
      return schema;
    });
    return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Kubernetes manifests', schemaSequence: sequence, definitions });
  }
}

/** The subset of Red Hat YAML's exported API that we use (`registerContributor`). */
export interface RedHatYamlApi {
  registerContributor(scheme: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string, label?: string): boolean;
}

/** Hands our schemas to Red Hat YAML. Returns false when its API is missing or refuses the scheme. */
export function registerWithRedHatYaml(api: unknown, contributor: SchemaContributor): boolean {
  const register = (api as Partial<RedHatYamlApi> | undefined)?.registerContributor;
  if (typeof register !== 'function') return false;
  return register.call(api, SCHEMA_SCHEME, (resource: string) => contributor.requestSchema(resource), (uri: string) => contributor.requestSchemaContent(uri));
}
