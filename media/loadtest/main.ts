// The Load Test panel's page: latency percentiles and throughput against the level (concurrency or rate) with uPlot,
// and a table of every level, for one run or two side by side. Every number comes from the extension.
import uPlot from 'uplot';
import { runNotes, type LevelResult, type LoadTestRun } from '../../src/core/loadtest/loadTestReport';
import type { FromPage, ToPage } from '../../src/vscode/loadtest/loadTestMessages';
import { TABLE_COLUMNS } from '../../src/vscode/loadtest/loadTestMessages';

declare function acquireVsCodeApi(): { postMessage(m: FromPage): void };
const vscode = acquireVsCodeApi();

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700'];
const cssVar = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let plots: uPlot[] = [];
let last: Extract<ToPage, { type: 'runs' }> | undefined;

function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function cell(l: LevelResult, key: (typeof TABLE_COLUMNS)[number][0]): number | string {
  switch (key) {
    case 'level': return l.level;
    case 'requestsPerSecond': return l.requestsPerSecond;
    case 'examplesPerSecond': return l.examplesPerSecond;
    case 'errors': return l.errors.total;
    case 'serverP50Ms': return l.server?.p50Ms ?? '';
    case 'serverP99Ms': return l.server?.p99Ms ?? '';
    default: return l.latencyMs[key];
  }
}

function chart(title: string, unit: string, levels: number[], series: { label: string; values: (number | null)[] }[], xLabel: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'chart';
  const h = document.createElement('h2');
  h.textContent = title;
  box.append(h);
  const plotBox = document.createElement('div');
  plotBox.className = 'plot';
  box.append(plotBox);
  $('charts').append(box);
  const fg = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font };
  const plot = new uPlot({
    width: Math.max(320, Math.floor(plotBox.clientWidth || document.body.clientWidth / 2 || 600)),
    height: 240,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    // Ordinal x: 1, 2, 4, 8, 16 evenly spaced, so the knee is where the eye looks.
    scales: { x: { time: false, distr: 2 }, y: { range: (_u, _min, max) => [0, max && max > 0 ? max * 1.1 : 1] } },
    axes: [{ ...axis, label: xLabel, labelFont: font }, { ...axis, size: 56, label: unit, labelFont: font, values: (_u, t) => t.map((v) => fmt(v)) }],
    series: [{ label: xLabel }, ...series.map((s, i) => ({
      label: s.label, stroke: cssVar(PALETTE[i % PALETTE.length], FALLBACK[i % FALLBACK.length]), width: 2,
      points: { show: true, size: 6 }, value: (_u: uPlot, v: number | null) => (v == null ? '–' : `${fmt(v)} ${unit}`),
    }))],
  }, [levels, ...series.map((s) => s.values)] as uPlot.AlignedData, plotBox);
  // With the pointer elsewhere, the legend shows the highest level's values rather than dashes.
  if (levels.length) plot.setLegend({ idx: levels.length - 1 });
  plots.push(plot);
  return box;
}

function table(run: LoadTestRun, title: string): HTMLElement {
  const wrap = document.createElement('div');
  const h = document.createElement('h2');
  h.textContent = title;
  const t = document.createElement('table');
  t.className = 'levels';
  const head = t.createTHead().insertRow();
  for (const [, label] of TABLE_COLUMNS) { const th = document.createElement('th'); th.textContent = label; head.append(th); }
  const body = t.createTBody();
  for (const l of run.levels) {
    const row = body.insertRow();
    for (const [key] of TABLE_COLUMNS) {
      const td = row.insertCell();
      const v = cell(l, key);
      td.dataset.value = String(v);
      td.textContent = key === 'level' ? l.label : typeof v === 'number' ? (key === 'errors' ? String(v) : fmt(v)) : '–';
      if (key === 'errors' && l.errors.total) td.title = Object.entries(l.errors.byKind).map(([k, n]) => `${k}: ${n}`).join(', ');
    }
    if (!l.stable) row.title = `Not stable (${l.end})`;
  }
  const notes = document.createElement('ul');
  notes.className = 'notes';
  const add = (s: string) => { const li = document.createElement('li'); li.textContent = s; notes.append(li); };
  add(`${run.mode === 'closed' ? 'Closed loop' : 'Open loop (latency from each scheduled send)'} · ${run.target.model} at ${run.target.url} · ${run.source.description} · started ${run.startedAt}`);
  for (const n of runNotes(run)) add(n);
  wrap.append(h, t, notes);
  return wrap;
}

function draw(msg: Extract<ToPage, { type: 'runs' }>): void {
  last = msg;
  for (const p of plots) p.destroy();
  plots = [];
  $('charts').replaceChildren();
  $('tables').replaceChildren();
  const { runs, titles, status } = msg;
  $('status').textContent = status?.text ?? '';
  $<HTMLButtonElement>('cancel').hidden = !status?.running;
  const single = runs.length === 1;
  $<HTMLButtonElement>('exportCsv').hidden = !single;
  $<HTMLButtonElement>('exportJson').hidden = !single;
  // Levels of both runs on one axis (compare: the union, a level one run lacks is a gap).
  const levels = [...new Set(runs.flatMap((r) => r.levels.map((l) => l.level)))].sort((a, b) => a - b);
  const xLabel = runs[0]?.mode === 'open' ? 'requests/s asked' : 'concurrency';
  const pick = (r: LoadTestRun, f: (l: LevelResult) => number | undefined) => levels.map((lv) => { const l = r.levels.find((x) => x.level === lv); return l ? f(l) ?? null : null; });
  if (levels.length) {
    const percentiles = single ? (['p50Ms', 'p90Ms', 'p95Ms', 'p99Ms'] as const) : (['p50Ms', 'p99Ms'] as const);
    chart('Latency', 'ms', levels, runs.flatMap((r, i) => [
      ...percentiles.map((p) => ({ label: `${single ? '' : titles[i] + ' '}${p.replace('Ms', '')}`, values: pick(r, (l) => l.latencyMs[p]) })),
      ...(single && r.levels.some((l) => l.server) ? [{ label: 'server p99', values: pick(r, (l) => l.server?.p99Ms) }] : []),
    ]), xLabel);
    chart('Throughput', 'req/s', levels, runs.map((r, i) => ({ label: single ? 'requests/s' : titles[i], values: pick(r, (l) => l.requestsPerSecond) })), xLabel);
  } else {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = status?.running ? 'The first level is running…' : 'No level finished.';
    $('charts').append(p);
  }
  runs.forEach((r, i) => $('tables').append(table(r, titles[i])));
  vscode.postMessage({
    type: 'drawn',
    seq: msg.seq,
    charts: plots.length,
    tables: [...document.querySelectorAll('table.levels')].map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => {
      const v = td.dataset.value ?? '';
      return v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
    }))),
  });
}

window.addEventListener('message', (e: MessageEvent<ToPage>) => { if (e.data?.type === 'runs') draw(e.data); });
$('exportCsv').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
$('exportJson').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
$('cancel').addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
// Theme changes restyle the canvases: redraw from the last message.
new MutationObserver(() => { if (last) draw(last); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
vscode.postMessage({ type: 'ready' });
