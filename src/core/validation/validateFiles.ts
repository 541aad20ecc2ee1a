// Runs every applicable checker on a set of files, the way the `validate` CLI (and CI pipelines) use them:
// prometheus.yml → Prometheus schema; other YAML → TF Serving manifest checks; TF Serving text configs →
// text-format validator. Secrets defined in any of the files count as known to the manifest checks.
import { checkManifests } from '../k8s/manifestChecks';
import { detectTextProtoMessage, validateTextProto } from '../configs/textProtoValidator';
import { compareFindings, type Finding } from './finding';
import { isPrometheusConfigPath, validatePrometheusConfig } from './prometheusValidation';
import { parseYamlFile } from './yamlDocuments';
import { yamlSyntaxFindings } from './schemaValidator';

export interface InputFile {
  path: string;
  text: string;
}

export type FileKind = 'prometheus' | 'kubernetes' | 'textproto' | 'unknown';

export function kindOf(file: InputFile): FileKind {
  if (/\.ya?ml$/i.test(file.path)) {
    if (isPrometheusConfigPath(file.path)) return 'prometheus';
    // Content sniffing for prometheus configs with other names: a top-level scrape_configs key and no kind.
    if (/^scrape_configs:/m.test(file.text) && !/^kind:/m.test(file.text)) return 'prometheus';
    return 'kubernetes';
  }
  if (detectTextProtoMessage(file.path, file.text)) return 'textproto';
  return 'unknown';
}

function secretNames(files: InputFile[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    if (kindOf(f) !== 'kubernetes') continue;
    for (const doc of parseYamlFile(f.text).documents) {
      const js = doc.errors.length ? undefined : (doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null);
      if (js && js.kind === 'Secret' && typeof js.metadata?.name === 'string') names.add(js.metadata.name);
    }
  }
  return names;
}

export function validateFiles(files: InputFile[]): Finding[] {
  const known = secretNames(files);
  const out: Finding[] = [];
  for (const f of files) {
    switch (kindOf(f)) {
      case 'prometheus':
        out.push(...validatePrometheusConfig(f.path, f.text));
        break;
      case 'kubernetes': {
        const syntax = yamlSyntaxFindings(f.path, parseYamlFile(f.text));
        out.push(...(syntax.length ? syntax : checkManifests(f.path, f.text, { knownSecretNames: known })));
        break;
      }
      case 'textproto':
        out.push(...validateTextProto(f.path, f.text, detectTextProtoMessage(f.path, f.text)!));
        break;
      default:
        out.push({ file: f.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'info', code: 'validate.unknown-kind', message: 'Not a prometheus.yml, Kubernetes manifest or TF Serving config; not checked.' });
    }
  }
  return out.sort(compareFindings);
}
