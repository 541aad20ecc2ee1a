// Benchmark: the extension's own activation (target ≤ 50 ms, heavy SDKs still lazy). Each sample is a fresh process
// (cold module cache, as when an editor starts the extension host) that loads dist/extension.js and runs activate()
// against a do-nothing `vscode` (bench/activation/vscodeShim.ts). Baseline in the same run: the floor for this
// package.json, an extension that only registers the same commands and creates the same tree views. Runs on the Node
// the bench runs on (a maintained one, scripts/maintainedNode.js) and, for before/after, on an older `node` found on
// PATH (Node 20 on this machine) when there is one. TFS_BENCH_BEFORE_BUNDLE=<path of another build's extension.js>
// (e.g. main's) measures that bundle in the same run too, for before/after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { olderNodeOnPath } from '../scripts/maintainedNode';
import type { BenchReport } from './run';

const repo = join(__dirname, '..', '..');
const probe = join(__dirname, 'activation', 'probe.js');
const HEAVY = /^(sdk\/|languageServices\.js|yamlServer\.js)/;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Sample { readonly loadMs: number; readonly activateMs: number; readonly cpuMs: number; readonly loaded: string[]; readonly node: string }

function sample(node: string, main: string): Sample {
  const r = spawnSync(node, [probe, main], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`activation probe failed on ${node}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

/** An extension that does only what this package.json obliges any extension to do at activation. */
function writeFloorExtension(): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const commands: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
  const views: string[] = Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id);
  const dir = join(repo, '.tmp', 'bench-floor-extension', 'dist');
  mkdirSync(dir, { recursive: true });
  const main = join(dir, 'extension.js');
  writeFileSync(main, [
    "const vscode = require('vscode');",
    `const commands = ${JSON.stringify(commands)};`,
    `const views = ${JSON.stringify(views)};`,
    'exports.activate = (context) => {',
    '  for (const id of commands) context.subscriptions.push(vscode.commands.registerCommand(id, () => undefined));',
    '  for (const id of views) context.subscriptions.push(vscode.window.createTreeView(id, { treeDataProvider: { getChildren: () => [], getTreeItem: (x) => x } }));',
    '};',
    '',
  ].join('\n'));
  return main;
}

interface Figures { total: number; load: number; activate: number; cpu: number; loaded: string[]; node: string }

function summarize(runs: Sample[]): Figures {
  return {
    total: median(runs.map((r) => r.loadMs + r.activateMs)),
    load: median(runs.map((r) => r.loadMs)),
    activate: median(runs.map((r) => r.activateMs)),
    cpu: median(runs.map((r) => r.cpuMs)),
    loaded: runs[0].loaded,
    node: runs[0].node,
  };
}

/** Samples of each extension, alternated so load from other work on the machine falls on all alike. */
function measureAll(node: string, mains: string[], rounds: number): Figures[] {
  for (const m of mains) sample(node, m); // warm the file cache
  const runs: Sample[][] = mains.map(() => []);
  for (let i = 0; i < rounds; i++) mains.forEach((m, j) => runs[j].push(sample(node, m)));
  return runs.map(summarize);
}

export async function extensionActivation(): Promise<BenchReport> {
  const ours = join(repo, 'dist', 'extension.js');
  if (!existsSync(ours)) throw new Error('dist/extension.js is missing: run `npm run build` (npm run bench does)');
  const floor = writeFloorExtension();
  const rounds = 9;
  const figures: Record<string, number | string> = { 'dist/extension.js size (KB)': Math.round(statSync(ours).size / 1024) };
  const before = process.env.TFS_BENCH_BEFORE_BUNDLE;
  let after: Figures | undefined;
  for (const node of [process.execPath, olderNodeOnPath()?.binary].filter((n): n is string => !!n)) {
    const [base, mine, old] = measureAll(node, [floor, ours, ...(before ? [before] : [])], rounds);
    after ??= mine;
    const label = `Node ${mine.node}${node === process.execPath ? '' : ' (the machine\'s own, before)'}`;
    figures[`${label}: activation, median of ${rounds} cold starts (ms)`] = mine.total;
    figures[`${label}: of which loading the bundle (ms)`] = mine.load;
    figures[`${label}: CPU time, all threads (ms)`] = mine.cpu;
    figures[`${label}: floor, same commands and views only (ms)`] = base.total;
    figures[`${label}: activation ÷ floor`] = mine.total / base.total;
    if (old) {
      figures[`${label}: ${before}: activation (ms)`] = old.total;
      figures[`${label}: ${before}: CPU time (ms)`] = old.cpu;
      figures[`${label}: ${before}: activation ÷ floor`] = old.total / base.total;
      figures[`${label}: this build ÷ ${before}, CPU time`] = mine.cpu / old.cpu;
    }
  }
  const heavy = after!.loaded.filter((f) => HEAVY.test(f));
  figures['bundle files loaded by activate()'] = after!.loaded.join(', ');
  figures['heavy bundles loaded by activate() (must be none)'] = heavy.length ? heavy.join(', ') : 'none';
  return {
    name: 'Extension activation: require dist/extension.js + activate(), cold process',
    figures,
    // Judged on CPU time: on a machine shared with other work, the wall clock mostly measures the wait for a core.
    target: { description: `≤ 50 ms CPU time on Node ${after!.node}, no SDK or language-service bundle loaded`, met: after!.cpu <= 50 && heavy.length === 0 },
  };
}
