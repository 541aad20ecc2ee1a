// A diagnosis as plain text, for the CLI and the editor's details alike.
import type { Diagnosis } from './diagnosis';

export function diagnosisText(d: Diagnosis): string {
  const lines = [`${d.title}`, `  TF Serving said: ${d.evidence}`, `  Cause: ${d.cause}`, `  Fix: ${d.fix}`];
  if (d.correctedRequest !== undefined) lines.push(`  Corrected request: ${JSON.stringify(d.correctedRequest)}`);
  if (d.action) lines.push(`  One-click fix in the editor: ${d.action.label}`);
  return lines.join('\n');
}

export function diagnosesText(found: readonly Diagnosis[], subject: string): string {
  if (!found.length) return `No known TF Serving failure in ${subject}.`;
  return [`${found.length} known failure${found.length === 1 ? '' : 's'} in ${subject}:`, '', ...found.map((d) => diagnosisText(d) + '\n')].join('\n').trimEnd();
}
