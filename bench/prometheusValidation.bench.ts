// Benchmark: validating the largest file of Prometheus' conformance corpus (conf.good.yml, ~12 KB, every section
// and discovery) with the same validator the CLI and the editor use (target ≤ 100 ms). Printed beside a baseline
// measured in the same run: parsing the same YAML, which any validator must do first.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { validatePrometheusConfig } from '../src/core/validation/prometheusValidation';
import { localFileHost } from '../src/core/validation/prometheus/configFileHost';
import type { BenchReport } from './run';

const testdata = join(__dirname, '..', '..', 'test', 'fixtures', 'prometheus-corpus', 'testdata');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runPrometheusValidationBench(): Promise<BenchReport> {
  const largest = readdirSync(testdata).filter((f) => f.endsWith('.yml')).map((f) => join(testdata, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const text = readFileSync(largest, 'utf8');
  const run = () => validatePrometheusConfig(largest, text, { host: localFileHost, absolutePath: largest });
  const first = performance.now();
  run(); // the first call also loads the schema
  const firstMs = performance.now() - first;
  const runs: number[] = [];
  const parses: number[] = [];
  for (let i = 0; i < 30; i++) {
    let t = performance.now();
    run();
    runs.push(performance.now() - t);
    t = performance.now();
    parseAllDocuments(text);
    parses.push(performance.now() - t);
  }
  const ms = median(runs);
  return {
    name: `Prometheus validation of the corpus' largest file (${largest.split('/').pop()}, ${text.length.toLocaleString('en-US')} bytes, ${text.split('\n').length} lines)`,
    figures: {
      'first call ms (schema load included)': firstMs,
      'validate median ms': ms,
      'YAML parse only, median ms (baseline)': median(parses),
      'validate / parse ratio': ms / median(parses),
    },
    target: { description: 'validate ≤ 100 ms', met: ms <= 100 },
  };
}
