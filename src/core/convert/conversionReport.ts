// What a conversion changed, from our own decoders: sizes, TFLite tensors by dtype (how many weights became float16
// or int8), quantization parameters and operators; for TF-TRT, TRTEngineOp nodes and what stayed in TensorFlow.
// Works for any two versions, not only a conversion's input and output.
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { formatBytes } from '../format';
import { inspectModelBytes, inspectVersion, type ModelSummary } from '../model/modelInspector';
import { countOp, type GraphSummary } from '../model/savedModelDecoder';
import type { TfliteTypeSummary } from '../model/tfliteDecoder';

/** Graph bookkeeping that exists in every SavedModel; not "compute left in TensorFlow". */
const structuralOps = new Set([
  'Placeholder', 'PlaceholderWithDefault', 'Const', 'Identity', 'IdentityN', 'NoOp', 'StatefulPartitionedCall', 'PartitionedCall',
  'VarHandleOp', 'ReadVariableOp', 'AssignVariableOp', 'VarIsInitializedOp', 'SaveV2', 'RestoreV2', 'MergeV2Checkpoints',
  'ShardedFilename', 'StringJoin', 'StaticRegexFullMatch', 'Select', 'DisableCopyOnRead', 'Pack', 'TRTEngineOp',
]);

export interface QuantizedTensorInfo {
  readonly name: string;
  readonly type: string;
  readonly scales: number;
  readonly firstScale?: number;
  readonly firstZeroPoint?: number;
  readonly perChannel: boolean;
}

export interface ReportSide {
  readonly label: string;
  readonly format: ModelSummary['format'];
  /** Every file of the version. */
  readonly totalBytes: number;
  readonly modelFileBytes: number;
  readonly tflite?: {
    readonly tensorsByType: Record<string, TfliteTypeSummary>;
    readonly weightBytes: number;
    readonly operators: Record<string, number>;
    readonly quantized: QuantizedTensorInfo[];
    readonly inputTypes: string[];
    readonly outputTypes: string[];
  };
  readonly savedModel?: {
    readonly trtEngineOps: number;
    /** Op → count over the graph and its functions, structural ops left out. */
    readonly computeOps: Record<string, number>;
    readonly variablesBytes: number;
  };
}

export interface ConversionReport {
  readonly before: ReportSide;
  readonly after: ReportSide;
  /** after.totalBytes / before.totalBytes. */
  readonly sizeRatio: number;
  readonly findings: string[];
}

export async function folderBytes(dir: string, under = ''): Promise<number> {
  let total = 0;
  for (const d of await readdir(path.join(dir, under), { withFileTypes: true })) {
    const rel = path.join(under, d.name);
    if (d.isDirectory()) total += await folderBytes(dir, rel);
    else total += (await stat(path.join(dir, rel))).size;
  }
  return total;
}

function mergeHistograms(g: GraphSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of [g.opHistogram, g.functionOpHistogram]) for (const [op, n] of Object.entries(h)) out[op] = (out[op] ?? 0) + n;
  return out;
}

export function describeSide(label: string, summary: ModelSummary, totalBytes: number, variablesBytes = 0): ReportSide {
  if (summary.format === 'tflite') {
    const m = summary.tflite;
    const quantized: QuantizedTensorInfo[] = [];
    const ioTypes = (which: 'inputs' | 'outputs') => m.subgraphs[0] ? m.subgraphs[0][which].map((i) => m.subgraphs[0].tensors[i]?.typeName ?? '?') : [];
    for (const sg of m.subgraphs) {
      for (const t of sg.tensors) {
        const q = t.quantization;
        if (!q || q.scale.length === 0) continue;
        quantized.push({ name: t.name, type: t.typeName, scales: q.scale.length, firstScale: q.scale[0], firstZeroPoint: q.zeroPoint[0], perChannel: q.scale.length > 1 });
      }
    }
    return {
      label, format: summary.format, totalBytes, modelFileBytes: summary.fileBytes,
      tflite: { tensorsByType: m.tensorsByType, weightBytes: m.weightBytes, operators: m.operatorHistogram, quantized, inputTypes: ioTypes('inputs'), outputTypes: ioTypes('outputs') },
    };
  }
  const graph = summary.servingMetaGraph?.graph ?? summary.savedModel.metaGraphs[0].graph;
  const all = mergeHistograms(graph);
  const computeOps = Object.fromEntries(Object.entries(all).filter(([op]) => !structuralOps.has(op)).sort((a, b) => b[1] - a[1]));
  return { label, format: summary.format, totalBytes, modelFileBytes: summary.fileBytes, savedModel: { trtEngineOps: countOp(graph, 'TRTEngineOp'), computeOps, variablesBytes } };
}

/** Decodes two local version folders (or .tflite files) and compares them. */
export async function buildConversionReport(beforeDir: string, afterDir: string, labels: [string, string] = [beforeDir, afterDir]): Promise<ConversionReport> {
  const side = async (dir: string, label: string) => {
    if (dir.endsWith('.tflite') && (await stat(dir)).isFile()) {
      const bytes = await readFile(dir);
      return describeSide(label, inspectModelBytes(path.basename(dir), bytes, [], dir), bytes.length);
    }
    const summary = await inspectVersion(dir);
    const vars = summary.format === 'tflite' ? 0 : await folderBytes(path.join(dir, 'variables')).catch(() => 0);
    return describeSide(label, summary, await folderBytes(dir), vars);
  };
  return compareSides(await side(beforeDir, labels[0]), await side(afterDir, labels[1]));
}

export function compareSides(before: ReportSide, after: ReportSide): ConversionReport {
  const findings: string[] = [];
  const ratio = before.totalBytes ? after.totalBytes / before.totalBytes : 0;
  findings.push(`Size: ${formatBytes(before.totalBytes)} → ${formatBytes(after.totalBytes)} (${(ratio * 100).toFixed(1)}% of before).`);
  if (after.tflite) {
    const byType = after.tflite.tensorsByType;
    for (const t of ['FLOAT16', 'INT8', 'UINT8', 'INT16']) {
      const s = byType[t];
      if (s?.constantTensors) findings.push(`${s.constantTensors} weight tensor(s) stored as ${t.toLowerCase()} (${formatBytes(s.constantBytes)}).`);
    }
    const f32 = byType.FLOAT32?.constantTensors ?? 0;
    if (f32) findings.push(`${f32} weight tensor(s) still float32 (${formatBytes(byType.FLOAT32.constantBytes)}).`);
    if (after.tflite.quantized.length) {
      const perChannel = after.tflite.quantized.filter((q) => q.perChannel).length;
      findings.push(`${after.tflite.quantized.length} tensor(s) carry quantization parameters (${perChannel} per-channel).`);
    }
    const io = [...after.tflite.inputTypes, ...after.tflite.outputTypes];
    if (io.length) findings.push(`Inputs ${after.tflite.inputTypes.join(', ') || '-'}; outputs ${after.tflite.outputTypes.join(', ') || '-'}.`);
    const flex = Object.keys(after.tflite.operators).filter((op) => op.startsWith('Flex'));
    if (flex.length) findings.push(`Uses TensorFlow (Flex) ops: ${flex.join(', ')}; the runtime needs the Flex delegate.`);
  }
  if (after.savedModel) {
    const engines = after.savedModel.trtEngineOps;
    const wasEngines = before.savedModel?.trtEngineOps ?? 0;
    if (engines || wasEngines) findings.push(`TRTEngineOp nodes: ${wasEngines} → ${engines}.`);
    const remaining = Object.entries(after.savedModel.computeOps);
    if (engines && remaining.length) findings.push(`Still in TensorFlow: ${remaining.slice(0, 8).map(([op, n]) => `${op} ×${n}`).join(', ')}${remaining.length > 8 ? ', …' : ''}.`);
    if (engines) findings.push('Serve it with tensorflow/serving:2.17.0-gpu: TF Serving 2.18 and later cannot load TF-TRT models.');
  }
  return { before, after, sizeRatio: ratio, findings };
}

function typeTable(before: ReportSide, after: ReportSide): string[] {
  const types = [...new Set([...Object.keys(before.tflite?.tensorsByType ?? {}), ...Object.keys(after.tflite?.tensorsByType ?? {})])].sort();
  const cell = (s: ReportSide, t: string) => {
    const v = s.tflite?.tensorsByType[t];
    return s.tflite ? (v ? `${v.tensors} (${v.constantTensors} weights, ${formatBytes(v.constantBytes)})` : '0') : '—';
  };
  return ['| Type | Before | After |', '|---|---|---|', ...types.map((t) => `| ${t} | ${cell(before, t)} | ${cell(after, t)} |`)];
}

function opsTable(a: Record<string, number> | undefined, b: Record<string, number> | undefined): string[] {
  const ops = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
  const cell = (h: Record<string, number> | undefined, op: string) => (h ? String(h[op] ?? 0) : '—');
  return ['| Operator | Before | After |', '|---|---|---|', ...ops.map((op) => `| ${op} | ${cell(a, op)} | ${cell(b, op)} |`)];
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function renderConversionReport(report: ConversionReport, title = 'Conversion report'): string {
  const { before, after } = report;
  const lines = [
    `# ${title}`,
    '',
    `- **Before:** ${esc(before.label)} (${before.format})`,
    `- **After:** ${esc(after.label)} (${after.format})`,
    '',
    '## Summary',
    '',
    ...report.findings.map((f) => `- ${f}`),
    '',
    '## Size',
    '',
    '| | Before | After |',
    '|---|---|---|',
    `| All files | ${formatBytes(before.totalBytes)} | ${formatBytes(after.totalBytes)} |`,
    `| Model file | ${formatBytes(before.modelFileBytes)} | ${formatBytes(after.modelFileBytes)} |`,
  ];
  if (before.tflite || after.tflite) {
    lines.push('', '## TFLite tensors by type', '', ...typeTable(before, after));
    const q = after.tflite?.quantized ?? [];
    if (q.length) {
      lines.push('', '## Quantization parameters (after)', '', '| Tensor | Type | Scale | Zero point | Per-channel |', '|---|---|---|---|---|');
      for (const t of q.slice(0, 30)) {
        lines.push(`| ${esc(t.name)} | ${t.type} | ${t.firstScale?.toPrecision(6) ?? ''}${t.scales > 1 ? ` (+${t.scales - 1})` : ''} | ${t.firstZeroPoint ?? ''} | ${t.perChannel ? 'yes' : 'no'} |`);
      }
      if (q.length > 30) lines.push(`| … ${q.length - 30} more | | | | |`);
    }
    lines.push('', '## Operators', '', ...opsTable(before.tflite?.operators, after.tflite?.operators));
  }
  if (before.savedModel || after.savedModel) {
    lines.push('', '## TensorFlow graph', '', '| | Before | After |', '|---|---|---|',
      `| TRTEngineOp nodes | ${before.savedModel?.trtEngineOps ?? '—'} | ${after.savedModel?.trtEngineOps ?? '—'} |`,
      `| Variables | ${before.savedModel ? formatBytes(before.savedModel.variablesBytes) : '—'} | ${after.savedModel ? formatBytes(after.savedModel.variablesBytes) : '—'} |`);
    lines.push('', '### Ops outside TensorRT (bookkeeping ops left out)', '', ...opsTable(before.savedModel?.computeOps, after.savedModel?.computeOps));
  }
  return lines.join('\n') + '\n';
}
