// The validation report as Markdown: the same text in the CLI, the conversion report and the editor.
import { formatBytes } from '../format';
import { formatNumber } from './validationMetrics';
import type { ValidationReport } from './validationJob';
import type { ConversionValidation } from './conversionJob';

const ms = (v: number) => (Number.isNaN(v) ? '–' : `${v < 1 ? v.toFixed(3) : v.toFixed(2)} ms`);

export function renderValidationReport(r: ValidationReport): string {
  const lines = [
    `## Validation: ${r.passed ? 'passed' : 'FLAGGED'}`,
    '',
    `SavedModel \`${r.savedModelDir}\` (signature \`${r.signatureKey}\`) against TFLite \`${r.tfliteFile}\`, on ${r.inputs}` +
      `${r.tensorflowVersion ? `, TensorFlow ${r.tensorflowVersion}` : ''}.`,
    '',
  ];
  if (r.flags.length) {
    for (const f of r.flags) lines.push(`- **${f}**`);
    lines.push('');
  }
  lines.push(
    '| output | shape | max abs diff | mean abs diff | max rel error | top-1 agreement |',
    '|---|---|---|---|---|---|',
    ...r.outputs.map((o) => `| ${o.name} | [${o.shape.join(', ')}] | ${formatNumber(o.maxAbsDiff)} | ${formatNumber(o.meanAbsDiff)} | ${formatNumber(o.maxRelError)} | ` +
      `${o.top1AgreementPercent === undefined ? '–' : `${o.top1AgreementPercent.toFixed(1)} %`} |`),
    '',
    '| | SavedModel | TFLite |',
    '|---|---|---|',
    `| Size | ${formatBytes(r.savedModelBytes)} | ${formatBytes(r.tfliteBytes)} |`,
    `| Median latency per inference (this CPU, batch 1) | ${ms(r.savedModelMedianMs)} | ${ms(r.tfliteMedianMs)} |`,
    '',
    `Thresholds: max abs diff ≤ ${formatNumber(r.thresholds.maxAbsDiff)}, top-1 agreement ≥ ${r.thresholds.minTop1Percent} % ` +
      '(relative error = |tflite − savedmodel| / max(|savedmodel|, 1e-6)).',
  );
  return lines.join('\n');
}

/** The validation part of a conversion report (also when it could not run). */
export function renderConversionValidation(v: ConversionValidation): string {
  if (v.ok) return renderValidationReport(v.report);
  return ['## Validation: could not run', '', v.message, ...(v.hint ? ['', v.hint] : [])].join('\n');
}

/** One line for a notification: the verdict and the first flag. */
export function validationSummary(v: ConversionValidation): string {
  if (!v.ok) return `Validation could not run: ${v.message}`;
  const o = v.report.outputs[0];
  if (!v.report.passed) return `Validation flagged: ${v.report.flags[0]}`;
  return `Validation passed${o ? ` (${o.name}: max abs diff ${formatNumber(o.maxAbsDiff)}${o.top1AgreementPercent === undefined ? '' : `, top-1 ${o.top1AgreementPercent.toFixed(1)} %`})` : ''}.`;
}
