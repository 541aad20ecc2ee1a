// The text-format SavedModel reader on a 25 MB saved_model.pbtxt (it took ~18 s and 434 MB before the rewrite).
// Baseline in the same run: decoding the same model from its binary saved_model.pb, which carries the same content.
import { performance } from 'node:perf_hooks';
import { decodeSavedModelText } from '../src/core/model/savedModelTextDecoder';
import { savedModelText } from './pbtxtFixture';
import type { BenchReport } from './run';

export async function readLargeSavedModelText(): Promise<BenchReport> {
  const text = savedModelText(25e6);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t = performance.now();
  const model = decodeSavedModelText(text);
  const ms = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const nodes = model.metaGraphs[0].graph.nodeCount;
  return {
    name: `Read a ${(text.length / 1e6).toFixed(0)} MB saved_model.pbtxt (${nodes.toLocaleString('en-US')} nodes)`,
    figures: { 'decode ms': ms, 'MB per second': text.length / 1e6 / (ms / 1000), 'extra memory MB (sampled peak RSS)': (peak - rssBefore) / 2 ** 20, 'text MB': text.length / 2 ** 20 },
    target: { description: '≥ 10× faster than the 18 s measured before (≤ 1.8 s)', met: ms <= 1800 },
  };
}
