// The checks no YAML engine runs for us, on one document: TF Serving-aware manifest checks, Prometheus rules
// beyond the schema, and TF Serving text-format configs. Schema and YAML syntax findings are left out: the YAML
// engine (ours or Red Hat's) reports those, and a diagnostic must never appear twice.
// Loaded on first use: it pulls in yaml, ajv and the Prometheus schema.
import { checkManifests } from '../../core/k8s/manifestChecks';
import { detectTextProtoMessage, validateTextProto } from '../../core/configs/textProtoValidator';
import type { Finding } from '../../core/validation/finding';
import { validatePrometheusConfig } from '../../core/validation/prometheusValidation';
import { nodeAt, parseYamlFile, scalarString } from '../../core/validation/yamlDocuments';

export type CheckedKind = 'prometheus' | 'kubernetes' | 'textproto';

export function checkDocument(kind: CheckedKind, fileName: string, text: string, knownSecretNames: ReadonlySet<string>): Finding[] {
  switch (kind) {
    case 'prometheus':
      return validatePrometheusConfig(fileName, text).filter((f) => f.code.startsWith('prometheus.'));
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
