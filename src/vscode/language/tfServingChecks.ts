// The checks no YAML engine runs for us, on one document: TF Serving-aware manifest checks, the whole Prometheus
// validator (the same findings and words as `tfserving-studio validate`; the engines get a constraint-free
// Prometheus schema, for completion and hover only), and TF Serving text-format configs. Kubernetes schema
// findings are left out (the YAML engine reports those), and so are YAML syntax errors when Red Hat YAML, which
// reports them on every YAML file, is installed: a diagnostic must never appear twice.
// Loaded on first use: it pulls in yaml, ajv and the Prometheus schema.
import { checkManifests } from '../../core/k8s/manifestChecks';
import { detectTextProtoMessage, validateTextProto } from '../../core/configs/textProtoValidator';
import type { Finding } from '../../core/validation/finding';
import { validatePrometheusConfig } from '../../core/validation/prometheusValidation';
import { localFileHost } from '../../core/validation/prometheus/configFileHost';
import { nodeAt, parseYamlFile, scalarString } from '../../core/validation/yamlDocuments';

export type CheckedKind = 'prometheus' | 'kubernetes' | 'textproto';

export interface CheckOptions {
  /** The engine reports YAML syntax errors itself (Red Hat YAML does, on every YAML file). */
  engineReportsSyntax: boolean;
  /** The document is a file on disk, so the files a Prometheus config names can be checked. */
  onDisk: boolean;
}

export function checkDocument(kind: CheckedKind, fileName: string, text: string, knownSecretNames: ReadonlySet<string>, options: CheckOptions = { engineReportsSyntax: false, onDisk: false }): Finding[] {
  switch (kind) {
    case 'prometheus': {
      const findings = validatePrometheusConfig(fileName, text, { host: options.onDisk ? localFileHost : undefined });
      return options.engineReportsSyntax ? findings.filter((f) => f.code !== 'yaml.syntax') : findings;
    }
    case 'kubernetes':
      return checkManifests(fileName, text, { knownSecretNames });
    case 'textproto': {
      const message = detectTextProtoMessage(fileName, text);
      return message ? validateTextProto(fileName, text, message) : [];
    }
  }
}

/** Names of the Secrets a YAML text defines. */
export function secretNamesIn(text: string): string[] {
  if (!/^kind:\s*["']?Secret/m.test(text)) return [];
  const names: string[] = [];
  for (const doc of parseYamlFile(text).documents) {
    if (scalarString(nodeAt(doc.contents, ['kind']).node) !== 'Secret') continue;
    const name = scalarString(nodeAt(doc.contents, ['metadata', 'name']).node);
    if (name) names.push(name);
  }
  return names;
}
