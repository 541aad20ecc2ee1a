// Benchmark: validating a 2,000-line multi-document manifest (target ≤ 100 ms) and computing completion at 50
// positions (≤ 50 ms per request): yaml-language-server (the editor's engine) on that manifest with the Deployment
// schema, and our text-format completion on a ~1,800-line models.config. Prints medians and the load average,
// since other work on the machine inflates them. Standalone: `npm run compile:tests && node out/bench/validation.bench.js`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kubernetesSchemaFor } from '../src/core/validation/schemaForDocument';
import { validateFiles } from '../src/core/validation/validateFiles';
import { completeFieldsAt } from '../src/core/configs/textProtoValidator';
import { parseAllDocuments } from 'yaml';
import type { BenchReport } from './run';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function manifestOf(lines: number): string {
  const unit = readFileSync(join(fixtures, 'k8s', 'tfserving-broken.yaml'), 'utf8').trimEnd() + '\n---\n' + readFileSync(join(fixtures, 'k8s', 'tfserving-good.yaml'), 'utf8').trimEnd() + '\n---\n';
  let out = '';
  while (out.split('\n').length < lines) out += unit;
  return out.split('\n').slice(0, lines).join('\n');
}

function modelsConfigOf(models: number): string {
  let out = 'model_config_list {\n';
  for (let i = 0; i < models; i++) out += `  config {\n    name: "m${i}"\n    base_path: "/models/m${i}"\n    model_version_policy { latest { num_versions: 2 } }\n    version_labels { key: "stable" value: ${i} }\n  }\n`;
  return out + '}\n';
}

export async function runValidationBench(): Promise<BenchReport> {
  console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${require('node:os').cpus().length} cores)`);
  const manifest = manifestOf(2000);
  const runs: number[] = [];
  validateFiles([{ path: 'bench.yaml', text: manifest }]); // warm-up (JIT, lazy schema compile)
  const cpu: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    validateFiles([{ path: 'bench.yaml', text: manifest }]);
    const used = process.cpuUsage(c);
    runs.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  // Baseline in the same run: only parsing the same YAML, which any validator must do first.
  const parseRuns: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    parseAllDocuments(manifest);
    parseRuns.push(performance.now() - t);
  }
  // CPU time shows the cost without the waits a loaded machine adds to wall-clock time.
  console.log(`validate 2,000-line multi-document manifest: median ${median(runs).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (target ≤ 100 ms)`);

  const schema = kubernetesSchemaFor('apps/v1', 'Deployment')!;
  const ls = getLanguageService({ schemaRequestService: async () => JSON.stringify(schema), workspaceContext: { resolveRelativePath: (r) => r } });
  ls.configure({ validate: true, completion: true, hover: true, yamlVersion: '1.2', schemas: [{ uri: 'inmemory://deployment.json', fileMatch: ['*.yaml'], schema }] });
  const lines = manifest.split('\n');
  const doc = TextDocument.create('file:///bench/manifest.yaml', 'yaml', 1, manifest);
  await ls.doComplete(doc, { line: 10, character: 0 }, false); // warm-up
  const yls: number[] = [];
  for (let i = 0; i < 50; i++) {
    const line = Math.floor(((i + 1) * lines.length) / 51);
    const t = performance.now();
    await ls.doComplete(doc, { line, character: lines[line].length }, false);
    yls.push(performance.now() - t);
  }
  console.log(`yaml-language-server completion at 50 positions in the 2,000-line manifest: median ${median(yls).toFixed(1)} ms per request (target ≤ 50 ms)`);
  const t0 = performance.now();
  await ls.doValidation(doc, false);
  console.log(`yaml-language-server validation of the same manifest (one schema): ${(performance.now() - t0).toFixed(1)} ms`);

  const config = modelsConfigOf(300); // ~2,100 lines
  const positions = Array.from({ length: 50 }, (_, i) => Math.floor(((i + 1) * config.length) / 51));
  const per: number[] = [];
  for (const p of positions) {
    const t = performance.now();
    completeFieldsAt(config, p, 'tensorflow.serving.ModelServerConfig');
    per.push(performance.now() - t);
  }
  console.log(`text-format completion at 50 positions in a ${config.split('\n').length}-line models.config: median ${median(per).toFixed(2)} ms per request (target ≤ 50 ms)`);
  const validateMs = median(runs);
  const completionMs = Math.max(median(yls), median(per));
  return {
    name: 'Validation and completion on a 2,000-line manifest (and an ~1,800-line models.config)',
    figures: {
      'validate median ms (wall)': validateMs,
      'validate median ms (CPU)': median(cpu),
      'YAML parse only, median ms (baseline)': median(parseRuns),
      'validate / parse ratio': validateMs / median(parseRuns),
      'yaml-language-server completion median ms': median(yls),
      'text-format completion median ms': median(per),
    },
    target: { description: 'validate ≤ 100 ms, completion ≤ 50 ms per request', met: validateMs <= 100 && completionMs <= 50 },
  };
}

if (require.main === module) void runValidationBench();
