// prometheus.yml checking: YAML syntax plus the Prometheus 3.x schema, per document.
import prometheusSchema from '../../../schemas/prometheus.schema.json';
import type { Finding } from './finding';
import { nodeAt, nodeRange, parseYamlFile, scalarString, type YamlFile } from './yamlDocuments';
import { isMap, isSeq, type Document } from 'yaml';
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
    const schemaFindings = validateDocument(fileName, file, doc, prometheusSchema);
    findings.push(...schemaFindings);
    if (schemaFindings.length === 0) findings.push(...semanticFindings(fileName, file, doc));
  }
  return findings;
}

/** Milliseconds of a Prometheus duration (already schema-checked), or undefined. */
function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { y: 31536000000, w: 604800000, d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * units[m[2]];
  return text === '0' ? 0 : total;
}

// What Prometheus rejects on load that a schema cannot express: duplicate job names, and a scrape timeout longer
// than the scrape interval (both inherit from global when unset).
function semanticFindings(fileName: string, file: YamlFile, doc: Document.Parsed): Finding[] {
  const out: Finding[] = [];
  const globalIntervalNode = nodeAt(doc.contents, ['global', 'scrape_interval']).node;
  const globalTimeoutNode = nodeAt(doc.contents, ['global', 'scrape_timeout']).node;
  const globalInterval = durationMs(scalarString(globalIntervalNode)) ?? 60000;
  const globalTimeout = durationMs(scalarString(globalTimeoutNode)) ?? 10000;
  if (globalTimeout > globalInterval) {
    out.push({ file: fileName, range: nodeRange(file, globalTimeoutNode ?? globalIntervalNode), severity: 'error', code: 'prometheus.timeout-over-interval', message: 'The global scrape_timeout is greater than the global scrape_interval; Prometheus refuses to load this file.' });
  }
  const jobs = nodeAt(doc.contents, ['scrape_configs']).node;
  if (!isSeq(jobs)) return out;
  const seen = new Set<string>();
  jobs.items.forEach((job) => {
    if (!isMap(job)) return;
    const nameNode = nodeAt(job, ['job_name']).node;
    const name = scalarString(nameNode);
    if (name !== undefined) {
      if (seen.has(name)) out.push({ file: fileName, range: nodeRange(file, nameNode), severity: 'error', code: 'prometheus.duplicate-job', message: `Another scrape config already has job_name "${name}"; Prometheus refuses to load this file.` });
      seen.add(name);
    }
    const intervalNode = nodeAt(job, ['scrape_interval']).node;
    const timeoutNode = nodeAt(job, ['scrape_timeout']).node;
    const interval = durationMs(scalarString(intervalNode)) ?? globalInterval;
    // An unset timeout inherits the global one, capped at the job's interval by Prometheus.
    const timeout = durationMs(scalarString(timeoutNode)) ?? (intervalNode ? Math.min(globalTimeout, interval) : globalTimeout);
    if (timeout > interval && (intervalNode || timeoutNode)) {
      out.push({ file: fileName, range: nodeRange(file, timeoutNode ?? intervalNode ?? nameNode), severity: 'error', code: 'prometheus.timeout-over-interval', message: `scrape_timeout (${scalarString(timeoutNode) ?? 'global'}) is greater than scrape_interval (${scalarString(intervalNode) ?? 'global'}); Prometheus refuses to load this file.` });
    }
  });
  return out;
}
