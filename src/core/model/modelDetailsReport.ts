// Renders a ModelSummary as readable Markdown: what a person checks before serving a model
// (tag-sets, signatures, dtypes and shapes; for TFLite also quantization, operators and weight sizes).

import { formatBytes } from '../format';
import type { ModelSummary, SavedModelSummary, TfliteSummary } from './modelInspector';
import { countOp, type MetaGraph, type NamedTensorInfo, type SignatureDef, type TensorShape } from './savedModelDecoder';
import { shortDataTypeName } from './tensorflowDataTypes';
import type { TfliteQuantization, TfliteSubgraph, TfliteTensor } from './tfliteDecoder';
import type { VersionWarmup } from '../warmup/versionWarmup';
import { warmupLoadFailureText, warmupSummary } from '../warmup/warmupCheck';

/** Rows beyond this in the per-tensor table are summarised, so huge models still give a readable report. */
const maxTensorRows = 200;

export function renderModelDetailsReport(summary: ModelSummary, title?: string): string {
  return (summary.format === 'tflite' ? tfliteReport(summary, title) : savedModelReport(summary, title)).join('\n') + '\n';
}

function savedModelReport(s: SavedModelSummary, title?: string): string[] {
  const m = s.savedModel;
  const out = [`# ${md(title ?? 'SavedModel')}`, ''];
  out.push('| | |', '|---|---|');
  out.push(`| Format | SavedModel (\`${s.file}\`, ${formatBytes(s.fileBytes)}) |`);
  out.push(`| Schema version | ${m.schemaVersion} |`);
  out.push(`| Tag-sets | ${m.metaGraphs.map((g) => tagSet(g)).join(', ')} |`);
  const versions = [...new Set(m.metaGraphs.map((g) => g.tensorflowVersion).filter(Boolean))];
  if (versions.length) out.push(`| Written by TensorFlow | ${versions.map(md).join(', ')} |`);
  if (s.otherModelFiles.length) out.push(`| Also present | ${s.otherModelFiles.map((f) => `\`${f}\``).join(', ')} |`);
  if (s.warmup) out.push(`| Warmup | ${md(warmupSummary(s.warmup.check))} (${formatBytes(s.warmup.bytes)}) |`);
  out.push('', ...warningLines(s.warnings));
  append(out, warmupLines(s.warmup));
  if (!s.servingMetaGraph) {
    out.push(`> No meta graph is tagged exactly {serve}; TF Serving needs \`--saved_model_tags\` to load this model.`, '');
  }
  for (const g of m.metaGraphs) append(out, metaGraphSection(g));
  return out;
}

function metaGraphSection(g: MetaGraph): string[] {
  const out = [`## Meta graph ${tagSet(g)}`, ''];
  const gr = g.graph;
  const parts = [`${gr.nodeCount} nodes`];
  if (gr.functionCount) parts.push(`${gr.functionCount} library functions`);
  out.push(`Graph: ${parts.join(', ')}${gr.producer ? ` (GraphDef producer ${gr.producer})` : ''}.`);
  const trt = countOp(gr, 'TRTEngineOp');
  if (trt > 0) out.push('', `TF-TRT: **${trt}** \`TRTEngineOp\` node${trt === 1 ? '' : 's'} (needs a TensorRT-enabled TF Serving build and a GPU).`);
  out.push('');
  if (g.signatures.length === 0) out.push('No signatures.', '');
  for (const sig of g.signatures) append(out, signatureSection(sig));
  const ops = topOps({ ...sumHistograms(gr.opHistogram, gr.functionOpHistogram) });
  if (ops) out.push(`<details><summary>Ops</summary>`, '', ops, '', '</details>', '');
  return out;
}

function signatureSection(sig: SignatureDef): string[] {
  const out = [`### Signature \`${md(sig.key)}\``, ''];
  if (sig.methodName) out.push(`Method: \`${md(sig.methodName)}\``, '');
  append(out, tensorTable('Inputs', sig.inputs));
  append(out, tensorTable('Outputs', sig.outputs));
  if (sig.defaults.length) {
    out.push('Defaults: ' + sig.defaults.map((d) => `\`${md(d.key)}\` (${shortDataTypeName(d.value.dtype)})`).join(', '), '');
  }
  return out;
}

function tensorTable(heading: string, tensors: NamedTensorInfo[]): string[] {
  if (tensors.length === 0) return [`**${heading}:** none`, ''];
  const out = [`**${heading}**`, '', '| Key | DType | Shape | Tensor |', '|---|---|---|---|'];
  for (const t of tensors.slice(0, maxTensorRows)) {
    const e = t.encoding;
    const tensor =
      e.kind === 'name' ? `\`${md(e.name)}\``
      : e.kind === 'cooSparse' ? `sparse: values \`${md(e.valuesTensorName)}\`, indices \`${md(e.indicesTensorName)}\`, shape \`${md(e.denseShapeTensorName)}\``
      : e.kind === 'compositeTensor' ? `composite${e.typeSpecClassName ? ` \`${md(e.typeSpecClassName)}\`` : ''} (${e.components.length} components)`
      : '—';
    out.push(`| \`${md(t.key)}\` | ${shortDataTypeName(t.dtype)} | ${formatShape(t.shape)} | ${tensor} |`);
  }
  if (tensors.length > maxTensorRows) out.push(`| … | | | ${(tensors.length - maxTensorRows).toLocaleString('en-US')} more (\`inspect --json\` lists them all) |`);
  out.push('');
  return out;
}

/** (-1, 1) like TensorFlow prints shapes; "unknown rank" and "—" (no shape recorded) are spelled out. */
export function formatShape(shape: TensorShape | undefined): string {
  if (!shape) return '—';
  if (shape.unknownRank) return 'unknown rank';
  return `(${shape.dims.map((d) => (d.name ? `${d.size} ${d.name}` : String(d.size))).join(', ')}${shape.dims.length === 1 ? ',' : ''})`;
}

function tfliteReport(s: TfliteSummary, title?: string): string[] {
  const m = s.tflite;
  const out = [`# ${md(title ?? 'TFLite model')}`, ''];
  out.push('| | |', '|---|---|');
  out.push(`| Format | TFLite (\`${s.file}\`, ${formatBytes(s.fileBytes)}), schema version ${m.schemaVersion} |`);
  if (m.description) out.push(`| Description | ${md(m.description)} |`);
  out.push(`| Subgraphs | ${m.subgraphs.length} |`);
  out.push(`| Weights (constant tensors) | ${formatBytes(m.weightBytes)} |`);
  out.push(`| All buffers | ${formatBytes(m.bufferBytes)} in ${m.buffers.filter((b) => b.length > 0).length} buffers (metadata included) |`);
  if (s.otherModelFiles.length) out.push(`| Also present | ${s.otherModelFiles.map((f) => `\`${f}\``).join(', ')} |`);
  if (s.warmup) out.push(`| Warmup | ${md(warmupSummary(s.warmup.check))} (${formatBytes(s.warmup.bytes)}) |`);
  out.push('', ...warningLines(s.warnings));
  append(out, warmupLines(s.warmup));

  const main = m.subgraphs[0];
  append(out, tfliteIoTable('Inputs', main, main.inputs));
  append(out, tfliteIoTable('Outputs', main, main.outputs));

  if (m.signatures.length) {
    out.push('## Signatures', '');
    for (const sig of m.signatures) {
      const sg = m.subgraphs[sig.subgraphIndex];
      out.push(`### \`${md(sig.key)}\` (subgraph ${sig.subgraphIndex})`, '', '| Direction | Key | Tensor | Type | Shape |', '|---|---|---|---|---|');
      for (const [dir, list] of [['input', sig.inputs], ['output', sig.outputs]] as const) {
        for (const io of list) {
          const t = sg?.tensors[io.tensorIndex];
          out.push(`| ${dir} | \`${md(io.name)}\` | ${t ? `\`${md(t.name)}\` (#${io.tensorIndex})` : `#${io.tensorIndex} (missing)`} | ${t?.typeName ?? '?'} | ${t ? tfliteShape(t) : '?'} |`);
        }
      }
      out.push('');
    }
  }
  if (m.servingSignatures?.length) {
    out.push('## TF Serving signatures (signature_defs_metadata)', '');
    for (const sig of m.servingSignatures) append(out, signatureSection(sig));
  }

  out.push('## Tensors by type', '', '| Type | Tensors | Constant tensors | Constant bytes |', '|---|---|---|---|');
  for (const [type, t] of Object.entries(m.tensorsByType).sort((a, b) => b[1].constantBytes - a[1].constantBytes)) {
    out.push(`| ${type} | ${t.tensors} | ${t.constantTensors} | ${formatBytes(t.constantBytes)} |`);
  }
  out.push('');
  out.push('## Operators', '', '| Operator | Count |', '|---|---|');
  for (const [op, n] of Object.entries(m.operatorHistogram).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    out.push(`| ${md(op)} | ${n} |`);
  }
  out.push('');
  m.subgraphs.forEach((sg, i) => {
    out.push(`## Tensors of subgraph ${i}${sg.name ? ` \`${md(sg.name)}\`` : ''}`, '', '| # | Name | Type | Shape | Constant bytes | Quantization |', '|---|---|---|---|---|---|');
    for (const t of sg.tensors.slice(0, maxTensorRows)) {
      out.push(`| ${t.index} | \`${md(t.name)}\` | ${t.typeName} | ${tfliteShape(t)} | ${t.bufferBytes || ''} | ${formatQuantization(t.quantization)} |`);
    }
    if (sg.tensors.length > maxTensorRows) out.push(`| … | ${sg.tensors.length - maxTensorRows} more tensors | | | | |`);
    out.push('');
  });
  return out;
}

function tfliteIoTable(heading: string, sg: TfliteSubgraph, indexes: number[]): string[] {
  const out = [`## ${heading}`, '', '| # | Name | Type | Shape | Quantization |', '|---|---|---|---|---|'];
  for (const i of indexes) {
    const t = sg.tensors[i];
    out.push(t ? `| ${i} | \`${md(t.name)}\` | ${t.typeName} | ${tfliteShape(t)} | ${formatQuantization(t.quantization)} |` : `| ${i} | (missing tensor) | | | |`);
  }
  out.push('');
  return out;
}

/** Appends without spreading: a signature with 150,000 inputs would overflow the call stack as arguments. */
function append(out: string[], lines: readonly string[]): void {
  for (const l of lines) out.push(l);
}

/** The warmup file's problems, and the status TF Serving's load would end with. */
function warmupLines(warmup: VersionWarmup | undefined): string[] {
  if (!warmup || (!warmup.check.problems.length && !warmup.check.loadFailure)) return [];
  const out = ['## Warmup requests', '', `\`${md(warmup.file)}\``, ''];
  for (const p of warmup.check.problems) out.push(`- ${p.severity === 'error' ? '**Error:**' : 'Warning:'} ${md(p.message)}`);
  if (warmup.check.loadFailure) out.push('', `TF Serving fails the load of this version: \`${warmupLoadFailureText(warmup.check.loadFailure)}\``);
  out.push('');
  return out;
}

function warningLines(warnings: readonly string[]): string[] {
  return warnings.length ? [...warnings.map((w) => `> **Warning:** ${md(w)}`), ''] : [];
}

/** Shape with dynamic dimensions from shape_signature shown as -1. */
function tfliteShape(t: TfliteTensor): string {
  if (!t.hasShape) return 'no shape recorded';
  if (!t.shape.length) return '[] (scalar)';
  const dims = t.shapeSignature && t.shapeSignature.length === t.shape.length ? t.shapeSignature : t.shape;
  return `[${dims.join(', ')}]`;
}

function formatQuantization(q: TfliteQuantization | undefined): string {
  if (!q) return '';
  const parts: string[] = [];
  if (q.scale.length === 1) parts.push(`scale ${q.scale[0]}, zero point ${q.zeroPoint[0] ?? 0}`);
  else if (q.scale.length > 1) parts.push(`per-axis (dim ${q.quantizedDimension}, ${q.scale.length} scales)`);
  if (q.min.length || q.max.length) parts.push(`range [${q.min.join(',')}, ${q.max.join(',')}]`);
  return parts.join('; ');
}

function sumHistograms(...hs: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of hs) for (const [k, v] of Object.entries(h)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function topOps(h: Record<string, number>): string {
  const entries = Object.entries(h).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.map(([op, n]) => `\`${md(op)}\` ${n}`).join(', ');
}

function tagSet(g: MetaGraph): string {
  return `{${g.tags.map(md).join(', ')}}`;
}


/** Keeps names from breaking tables or code spans. */
function md(s: string): string {
  return s.replace(/[|`\r\n]/g, (c) => (c === '|' ? '\\|' : c === '`' ? "'" : ' '));
}
