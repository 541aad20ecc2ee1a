// "Check with promtool": Prometheus' own checker next to ours, as one plain-text report. promtool's version is
// shown because distributions ship old ones (Debian 12: 2.42), which refuse Prometheus 3 settings they do not know.
import type { Finding } from '../finding';

export interface PromtoolRun {
  ok: boolean;
  output: string;
  /** `promtool --version`'s first line, e.g. "promtool, version 2.42.0+ds (…)". */
  version?: string;
}

/** The major version of a `promtool --version` line, or undefined. */
export function promtoolMajor(version: string | undefined): number | undefined {
  const m = /version (\d+)\./.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

export function promtoolReport(file: string, ours: readonly Finding[], promtool: PromtoolRun): string {
  const errors = ours.filter((f) => f.severity === 'error');
  const warnings = ours.filter((f) => f.severity === 'warning');
  const major = promtoolMajor(promtool.version);
  const lines = [
    `Checked ${file}`,
    '',
    `promtool (${promtool.version?.replace(/^promtool,\s*/, '') ?? 'version unknown'}): ${promtool.ok ? 'valid' : 'refused'}`,
  ];
  if (major !== undefined && major < 3) lines.push(`  This promtool is older than Prometheus 3: it refuses settings added since (such as metric_name_validation_scheme), which Prometheus 3 accepts.`);
  for (const l of promtool.output.split('\n').filter((x) => x.trim())) lines.push(`  ${l.trim()}`);
  lines.push('', `TF Serving Studio (Prometheus 3 rules): ${errors.length ? `refused, ${errors.length} error${errors.length === 1 ? '' : 's'}` : 'valid'}${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`);
  for (const f of ours) lines.push(`  ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message}`);
  const agree = promtool.ok === (errors.length === 0);
  lines.push('', agree ? 'Both agree.' : `They disagree${major !== undefined && major < 3 ? ' (an older promtool is the likely reason)' : ''}.`);
  return lines.join('\n');
}
