// Benchmark runner: `npm run bench [-- filter]`. Every `bench/<name>.bench.ts` exports one or more async functions
// returning a BenchReport; the runner loads each compiled file, runs its functions one after another and prints
// their figures. Benchmarks measure and report; they never fail the build on a missed target (that is not a test).
import * as fs from 'fs';
import * as path from 'path';
import { ensureMaintainedNode } from '../scripts/maintainedNode';

export interface BenchReport {
  readonly name: string;
  /** Measured figures, printed as "key: value" lines. */
  readonly figures: Record<string, number | string>;
  /** The target this benchmark tracks, and whether this run met it. */
  readonly target?: { readonly description: string; readonly met: boolean };
}

export type Benchmark = () => Promise<BenchReport>;

function formatFigure(v: number | string): string {
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(v < 10 ? 2 : 1);
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
  const reports: BenchReport[] = [];
  let crashed = 0;
  for (const file of files) {
    const mod = require(path.join(__dirname, file)) as Record<string, unknown>;
    for (const [exportName, fn] of Object.entries(mod)) {
      if (typeof fn !== 'function') continue;
      const id = `${file.replace(/\.bench\.js$/, '')}.${exportName}`;
      if (filter && !id.includes(filter)) continue;
      process.stdout.write(`\n▶ ${id}\n`);
      try {
        const report = await (fn as Benchmark)();
        reports.push(report);
        process.stdout.write(`${report.name}\n`);
        for (const [k, v] of Object.entries(report.figures)) process.stdout.write(`  ${k}: ${formatFigure(v)}\n`);
        if (report.target) process.stdout.write(`  target (${report.target.description}): ${report.target.met ? 'MET' : 'NOT MET'}\n`);
      } catch (e) {
        crashed++;
        process.stdout.write(`  CRASHED: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      }
    }
  }
  process.stdout.write(`\n${reports.length} benchmark(s) ran${crashed ? `, ${crashed} crashed` : ''}.\n`);
  for (const r of reports) if (r.target) process.stdout.write(`  ${r.target.met ? 'MET    ' : 'NOT MET'} ${r.name}: ${r.target.description}\n`);
  return crashed ? 1 : 0;
}

ensureMaintainedNode('npm run bench'); // the Node the extension host and the CLI run on
main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
