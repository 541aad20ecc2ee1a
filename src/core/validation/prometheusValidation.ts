// prometheus.yml checking, as strictly as Prometheus 3 loads it: YAML syntax, every section's keys and value types
// (schemas/prometheus.schema.json, walked by prometheus/schemaWalker.ts), Prometheus' own rules per section
// (prometheus/prometheusRules.ts) and across the file: scrape timeouts against intervals (inherited from global),
// duplicate job and remote names, rule and scrape-config file paths, the scrape configs of `scrape_config_files`,
// and files that do not exist (a warning). The CLI's `validate` and the editor show these findings as they are.
import prometheusSchema from '../../../schemas/prometheus.schema.json';
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { compareFindings, type Finding, type Severity } from './finding';
import { nodeRange, parseYamlFile, type YamlFile } from './yamlDocuments';
import { yamlSyntaxFindings } from './schemaValidator';
import { SchemaWalker, isNullNode, pairOf, scalarText, type Reporter, type SchemaNode } from './prometheus/schemaWalker';
import { runRules } from './prometheus/prometheusRules';
import { parseDuration, type NameValidationScheme } from './prometheus/prometheusValues';
import type { ConfigFileHost } from './prometheus/configFileHost';

export { prometheusSchema };
export type { ConfigFileHost };

/** Files the extension treats as Prometheus configs unless the user maps others. */
export function isPrometheusConfigPath(filePath: string): boolean {
  const p = filePath.replace(/\\/g, '/');
  return /(^|\/)prometheus\.ya?ml$/i.test(p) || /(^|\/)prometheus\/[^/]+\.ya?ml$/i.test(p);
}

export interface PrometheusCheckOptions {
  /** Reads the files the configuration names (scrape_config_files, *_file keys); without it those are not checked. */
  host?: ConfigFileHost;
  /** The file's place on disk when `fileName` (used in findings) is relative to something else. */
  absolutePath?: string;
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Rule and scrape-config file paths: a glob is allowed in the last path segment only (config.go's patRulePath). */
const GLOB_IN_LAST_SEGMENT = /^[^*]*(\*[^/]*)?$/;

export function validatePrometheusConfig(fileName: string, text: string, options: PrometheusCheckOptions = {}): Finding[] {
  const file = parseYamlFile(text);
  const findings = yamlSyntaxFindings(fileName, file);
  if (findings.length) return findings;
  for (const doc of file.documents) {
    // An empty document is a valid (empty) configuration.
    if (doc.contents === null) continue;
    findings.push(...checkDocument(fileName, file, doc, options));
  }
  return findings.sort(compareFindings);
}

function reporterFor(fileName: string, file: YamlFile, doc: Document.Parsed, out: Finding[]): Reporter {
  return (at, message, code, severity: Severity = 'error', fix) => {
    const range = nodeRange(file, at ?? doc.contents, doc.range[0]);
    out.push({ file: fileName, range, severity, message, code, ...(fix ? { fix: { ...fix, range } } : {}) });
  };
}

function checkDocument(fileName: string, file: YamlFile, doc: Document.Parsed, options: PrometheusCheckOptions): Finding[] {
  const out: Finding[] = [];
  const report = reporterFor(fileName, file, doc, out);
  const root = doc.contents as Node;
  const globalMap = isMap(root) ? (pairOf(root, 'global')?.value as YAMLMap | undefined) : undefined;
  const nameScheme: NameValidationScheme = text(globalMap, 'metric_name_validation_scheme') === 'legacy' ? 'legacy' : 'utf8';
  const files: { path: string; node: Node }[] = [];
  const jobList = isMap(root) ? pairOf(root, 'scrape_configs')?.value : undefined;
  const nameSchemeAt = (path: string): NameValidationScheme => {
    const job = /^scrape_configs\[(\d+)\]/.exec(path);
    const local = job && isSeq(jobList) ? text(jobList.items[Number(job[1])] as YAMLMap, 'metric_name_validation_scheme') : undefined;
    return local === 'legacy' || local === 'utf8' ? local : nameScheme;
  };
  const walker = new SchemaWalker(prometheusSchema as SchemaNode, {
    report,
    onMap: (typed) => runRules(typed, { report, nameScheme, nameSchemeAt }),
    onFile: (path, node) => { if (!/log_file$/.test(path)) files.push({ path, node }); },
  });
  walker.walkDocument(doc);
  if (!isMap(root)) return out;

  const global = globalTimes(globalMap, report);
  const jobs = new Map<string, string>();
  checkScrapeConfigs(pairOf(root, 'scrape_configs')?.value, global, jobs, report, 'this file');
  checkNames(root, 'remote_write', report);
  checkNames(root, 'remote_read', report);
  for (const key of ['rule_files', 'scrape_config_files']) {
    const list = pairOf(root, key)?.value;
    for (const item of isSeq(list) ? list.items : []) {
      if (isScalar(item) && !isNullNode(item) && !GLOB_IN_LAST_SEGMENT.test(scalarText(item))) {
        report(item, `${key}: "${scalarText(item)}" is not a valid path: a * wildcard may only appear in the file name, not in a folder.`, 'prometheus.file-path');
      }
    }
  }
  if (options.host) {
    const host = options.host;
    const dir = host.dirname(options.absolutePath ?? fileName);
    checkIncludedScrapeConfigs(pairOf(root, 'scrape_config_files')?.value, dir, host, global, jobs, report);
    for (const f of files) {
      const value = scalarText(f.node as never);
      if (value && !host.exists(host.resolve(dir, value))) report(f.node, `${f.path}: the file "${value}" does not exist (paths are relative to the configuration file's folder).`, 'prometheus.missing-file', 'warning');
    }
  }
  return out;
}

function text(map: YAMLMap | undefined, key: string): string | undefined {
  const v = pairOf(map, key)?.value;
  return isScalar(v) && !isNullNode(v) ? scalarText(v) : undefined;
}

function durationOf(map: YAMLMap | undefined, key: string): number | undefined {
  const t = text(map, key);
  if (t === undefined) return undefined;
  const d = parseDuration(t);
  return 'ms' in d && d.ms > 0 ? d.ms : undefined; // 0 means "unset" to Prometheus
}

interface GlobalTimes { intervalMs: number; timeoutMs: number }

// Prometheus: an unset global interval is 1m; an explicit global timeout above the interval is refused; an unset
// one is 10s capped at the interval (so `scrape_interval: 5s` alone is fine).
function globalTimes(globalMap: YAMLMap | undefined, report: Reporter): GlobalTimes {
  const intervalMs = durationOf(globalMap, 'scrape_interval') ?? DEFAULT_INTERVAL_MS;
  const explicit = durationOf(globalMap, 'scrape_timeout');
  if (explicit !== undefined && explicit > intervalMs) {
    report(pairOf(globalMap, 'scrape_timeout'), `global: scrape_timeout (${text(globalMap, 'scrape_timeout')}) is greater than scrape_interval (${text(globalMap, 'scrape_interval') ?? '1m, the default'}).`, 'prometheus.timeout-over-interval');
  }
  return { intervalMs, timeoutMs: explicit ?? Math.min(DEFAULT_TIMEOUT_MS, intervalMs) };
}

// Each job: an explicit timeout must not exceed its interval (its own or the global one); an unset timeout is the
// global one capped at the interval, so it never does. Job names are unique across the file and its includes.
function checkScrapeConfigs(list: unknown, global: GlobalTimes, jobs: Map<string, string>, report: Reporter, where: string, at?: Node): void {
  for (const [i, job] of (isSeq(list) ? list.items : []).entries()) {
    if (!isMap(job)) continue;
    const name = text(job, 'job_name');
    const interval = durationOf(job, 'scrape_interval');
    const timeout = durationOf(job, 'scrape_timeout');
    if (timeout !== undefined && timeout > (interval ?? global.intervalMs)) {
      report(at ?? pairOf(job, 'scrape_timeout'), `${at ? `${where}: ` : ''}scrape_configs[${i}]: scrape_timeout (${text(job, 'scrape_timeout')}) is greater than scrape_interval (${text(job, 'scrape_interval') ?? `${formatMs(global.intervalMs)}, from global`}).`, 'prometheus.timeout-over-interval');
    }
    if (name === undefined || name === '') continue;
    const first = jobs.get(name);
    if (first !== undefined) report(at ?? pairOf(job, 'job_name')?.value, `${at ? `${where}: ` : ''}job_name "${name}" is used twice (first in ${first}); each scrape config needs its own job name.`, 'prometheus.duplicate-job');
    else jobs.set(name, where);
  }
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

function checkNames(root: YAMLMap, key: 'remote_write' | 'remote_read', report: Reporter): void {
  const list = pairOf(root, key)?.value;
  const seen = new Set<string>();
  for (const item of isSeq(list) ? list.items : []) {
    if (!isMap(item)) continue;
    const name = text(item, 'name');
    if (!name) continue;
    if (seen.has(name)) report(pairOf(item, 'name')?.value, `${key}: the name "${name}" is used twice; each ${key} entry needs its own name.`, 'prometheus.duplicate-name');
    seen.add(name);
  }
}

// scrape_config_files: each pattern (relative to this file's folder, * allowed in the file name) names files
// holding only `scrape_configs:`. Their mistakes are reported on the entry that includes them.
function checkIncludedScrapeConfigs(list: unknown, dir: string, host: ConfigFileHost, global: GlobalTimes, jobs: Map<string, string>, report: Reporter): void {
  for (const item of isSeq(list) ? list.items : []) {
    if (!isScalar(item) || isNullNode(item)) continue;
    const pattern = scalarText(item);
    if (!GLOB_IN_LAST_SEGMENT.test(pattern)) continue;
    for (const path of host.glob(host.resolve(dir, pattern))) {
      const name = host.relative(dir, path);
      const content = host.readText(path);
      if (content === undefined) {
        report(item, `scrape_config_files: cannot read "${name}".`, 'prometheus.missing-file');
        continue;
      }
      const included = validateScrapeConfigFile(path, content);
      for (const f of included.findings.filter((x) => x.severity === 'error')) {
        report(item, `scrape_config_files: ${name}:${f.range.start.line + 1}: ${f.message}`, f.code);
      }
      checkScrapeConfigs(included.scrapeConfigs, global, jobs, report, name, item as Node);
    }
  }
}

/** A file named by scrape_config_files: a map with only `scrape_configs`, checked like the main file's. */
function validateScrapeConfigFile(fileName: string, content: string): { findings: Finding[]; scrapeConfigs?: Node } {
  const file = parseYamlFile(content);
  const findings = yamlSyntaxFindings(fileName, file);
  const doc = file.documents[0];
  if (findings.length || !doc || doc.contents === null) return { findings };
  const root = doc.contents as Node;
  const report = reporterFor(fileName, file, doc, findings);
  const schema = { ...(prometheusSchema as SchemaNode), properties: { scrape_configs: (prometheusSchema as SchemaNode).properties!.scrape_configs } };
  new SchemaWalker(schema, { report, onMap: (typed) => runRules(typed, { report, nameScheme: 'utf8', nameSchemeAt: () => 'utf8' }) }).walkDocument(doc);
  return { findings, scrapeConfigs: isMap(root) ? (pairOf(root, 'scrape_configs')?.value as Node | undefined) : undefined };
}

