// Kubernetes manifests: YAML syntax, the per-kind schema of every document, then the TF Serving-aware checks.
import { checkManifests } from '../k8s/manifestChecks';
import type { Finding } from './finding';
import { kubernetesSchemaFor } from './schemaForDocument';
import { validateDocument, yamlSyntaxFindings } from './schemaValidator';
import { nodeAt, parseYamlFile, scalarString, type YamlFile } from './yamlDocuments';

export function validateKubernetesManifests(fileName: string, text: string, knownSecretNames?: ReadonlySet<string>, parsed?: YamlFile): Finding[] {
  const file = parsed ?? parseYamlFile(text);
  const syntax = yamlSyntaxFindings(fileName, file);
  if (syntax.length) return syntax;
  const findings: Finding[] = [];
  for (const doc of file.documents) {
    const schema = kubernetesSchemaFor(scalarString(nodeAt(doc.contents, ['apiVersion']).node), scalarString(nodeAt(doc.contents, ['kind']).node));
    if (schema) findings.push(...validateDocument(fileName, file, doc, schema));
  }
  findings.push(...checkManifests(fileName, text, { knownSecretNames, parsed: file }));
  return findings;
}
