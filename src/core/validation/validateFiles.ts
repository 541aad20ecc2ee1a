// Runs every applicable checker on a set of files, the way the `validate` CLI (and CI pipelines) use them:
// prometheus.yml → Prometheus schema; other YAML → Kubernetes schemas + TF Serving manifest checks; TF Serving text configs →
// text-format validator. Secrets defined in any of the files count as known to the manifest checks.
import { detectTextProtoMessage, validateTextProto } from '../configs/textProtoValidator';
import { compareFindings, type Finding } from './finding';
import { isPrometheusConfigPath, validatePrometheusConfig, type ConfigFileHost } from './prometheusValidation';
import { nodeAt, parseYamlFile, scalarString, type YamlFile } from './yamlDocuments';
import { validateKubernetesManifests } from './kubernetesValidation';

export interface InputFile {
  path: string;
  text: string;
  /** Where the file is on disk, when `path` is relative to something else (files it names resolve from here). */
  absolutePath?: string;
}

export interface ValidateOptions {
  /** Reads the files a prometheus.yml names (scrape_config_files, *_file keys); without it they are not checked. */
  host?: ConfigFileHost;
}

export type FileKind = 'prometheus' | 'kubernetes' | 'textproto' | 'unknown';

export function kindOf(file: InputFile): FileKind {
  if (/\.ya?ml$/i.test(file.path)) {
    if (isPrometheusConfigPath(file.path)) return 'prometheus';
    // Content sniffing for prometheus configs with other names: a top-level section only Prometheus has (not
    // `global:`, which Helm values files share) and no kind.
    if (/^(scrape_configs|scrape_config_files|rule_files|remote_write|remote_read):/m.test(file.text) && !/^(kind|apiVersion):/m.test(file.text)) return 'prometheus';
    return 'kubernetes';
  }
  if (detectTextProtoMessage(file.path, file.text)) return 'textproto';
  return 'unknown';
}

function secretNames(parsed: Map<InputFile, YamlFile>): Set<string> {
  const names = new Set<string>();
  for (const file of parsed.values()) {
    for (const doc of file.documents) {
      if (scalarString(nodeAt(doc.contents, ['kind']).node) !== 'Secret') continue;
      const name = scalarString(nodeAt(doc.contents, ['metadata', 'name']).node);
      if (name) names.add(name);
    }
  }
  return names;
}

export function validateFiles(files: InputFile[], options: ValidateOptions = {}): Finding[] {
  // Parse each manifest once; the Secret scan and the checks share it.
  const parsed = new Map<InputFile, YamlFile>();
  for (const f of files) if (kindOf(f) === 'kubernetes') parsed.set(f, parseYamlFile(f.text));
  const known = secretNames(parsed);
  const out: Finding[] = [];
  for (const f of files) {
    try {
      out.push(...checkOne(f, known, parsed.get(f), options));
    } catch (e) {
      // A checker bug must not hide which file it was, nor stop the other files.
      out.push({ file: f.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'validate.failed', message: `Could not check this file: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out.sort(compareFindings);
}

function checkOne(f: InputFile, known: Set<string>, parsed: YamlFile | undefined, options: ValidateOptions): Finding[] {
  switch (kindOf(f)) {
    case 'prometheus':
      return validatePrometheusConfig(f.path, f.text, { host: options.host, absolutePath: f.absolutePath });
    case 'kubernetes':
      return validateKubernetesManifests(f.path, f.text, known, parsed);
    case 'textproto':
      return validateTextProto(f.path, f.text, detectTextProtoMessage(f.path, f.text)!);
    default:
      return [{ file: f.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'info', code: 'validate.unknown-kind', message: 'Not a prometheus.yml, Kubernetes manifest or TF Serving config; not checked.' }];
  }
}
