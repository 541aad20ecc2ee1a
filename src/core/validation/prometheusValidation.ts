// prometheus.yml checking: YAML syntax plus the Prometheus 3.x schema, per document.
import prometheusSchema from '../../../schemas/prometheus.schema.json';
import type { Finding } from './finding';
import { parseYamlFile } from './yamlDocuments';
import { validateDocument, yamlSyntaxFindings } from './schemaValidator';

export { prometheusSchema };

/** Files the extension treats as Prometheus configs unless the user maps others. */
export function isPrometheusConfigPath(filePath: string): boolean {
  const p = filePath.replace(/\\/g, '/');
  return /(^|\/)prometheus\.ya?ml$/i.test(p) || /(^|\/)prometheus\/[^/]+\.ya?ml$/i.test(p);
}

export function validatePrometheusConfig(fileName: string, text: string): Finding[] {
  const file = parseYamlFile(text);
  const findings = yamlSyntaxFindings(fileName, file);
  if (findings.length) return findings;
  for (const doc of file.documents) {
    // An empty document is a valid (empty) configuration.
    if (doc.contents === null) continue;
    findings.push(...validateDocument(fileName, file, doc, prometheusSchema));
  }
  return findings;
}
