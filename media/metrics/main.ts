// The metrics panel's page: draws what the extension sends (a DashboardModel, every number already computed) with
// uPlot. Colours come from the theme's CSS variables and are re-read when the theme changes.
import uPlot from 'uplot';
import type { ChartModel, DashboardModel } from '../../src/core/monitoring/dashboardModel';
import type { PanelData } from '../../src/vscode/monitoring/metricsSource';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };
const vscode = acquireVsCodeApi();

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface Drawn { plot: uPlot; key: string }
const drawn = new Map<string, Drawn>();
let lastData: PanelData | undefined;

/** The plot's width: its box's content width (boxes share the grid's columns equally). */
function chartWidth(box?: Element | null): number {
  const el = (box ?? document.querySelector('.chart .plot')) as HTMLElement | null;
  return Math.max(260, Math.floor(el?.clientWidth || document.body.clientWidth / 2 || 600));
}

/** With the pointer elsewhere, the legend shows the newest values rather than dashes. */
function showLatest(plot: uPlot): void {
  const n = plot.data[0].length;
  if (n && plot.cursor.idx == null) plot.setLegend({ idx: n - 1 });
}

function fmt(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const n = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 0.01 || v === 0 ? v.toFixed(2) : v.toExponential(1);
  return unit ? `${n} ${unit}` : n;
}

function options(c: ChartModel, box: Element): uPlot.Options {
  const fg = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)'));
  const font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font };
  return {
    width: chartWidth(box),
    height: 220,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), max && max > 0 ? max * 1.1 : 1] } },
    axes: [axis, { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => fmt(t, '')), label: c.unit || undefined, labelFont: font }],
    series: [
      {},
      ...c.series.map((s, i) => ({
        label: s.label,
        stroke: cssVar(PALETTE[i % PALETTE.length], FALLBACK[i % FALLBACK.length]),
        width: 2,
        spanGaps: false,
        points: { show: c.data[0].length < 3 },
        value: (_u: uPlot, v: number | null) => fmt(v, c.unit),
      })),
    ],
  };
}

function renderCharts(model: DashboardModel): void {
  const host = $('charts');
  const seen = new Set<string>();
  for (const c of model.charts) {
    seen.add(c.id);
    const key = JSON.stringify([c.series.map((s) => s.label), c.unit, document.body.className]);
    let box = document.getElementById(`chart-${c.id}`);
    if (!box) {
      box = document.createElement('div');
      box.id = `chart-${c.id}`;
      box.className = 'chart';
      const h = document.createElement('h2');
      h.textContent = c.title;
      const empty = document.createElement('div');
      empty.className = 'empty';
      empty.textContent = 'No data yet.';
      const plotHost = document.createElement('div');
      plotHost.className = 'plot';
      box.append(h, empty, plotHost);
      host.append(box);
    }
    const hasData = c.series.length > 0 && c.data[0].length > 0;
    (box.querySelector('.empty') as HTMLElement).hidden = hasData;
    box.dataset.points = String(c.data[0].length);
    box.dataset.series = String(c.series.length);
    const d = drawn.get(c.id);
    if (!hasData) {
      d?.plot.destroy();
      drawn.delete(c.id);
      continue;
    }
    if (d && d.key === key) {
      d.plot.setData(c.data as uPlot.AlignedData);
      showLatest(d.plot);
    } else {
      d?.plot.destroy();
      const plotHost = box.querySelector('.plot') as HTMLElement;
      const plot = new uPlot(options(c, plotHost), c.data as uPlot.AlignedData, plotHost);
      showLatest(plot);
      drawn.set(c.id, { plot, key });
    }
  }
  for (const [id, d] of drawn) {
    if (!seen.has(id)) {
      d.plot.destroy();
      drawn.delete(id);
      document.getElementById(`chart-${id}`)?.remove();
    }
  }
}

function fillTable(id: string, rows: string[][]): void {
  const body = $(id).querySelector('tbody')!;
  body.replaceChildren(...(rows.length ? rows : [['–']]).map((r) => {
    const tr = document.createElement('tr');
    for (const cell of r) {
      const td = document.createElement('td');
      td.textContent = cell;
      tr.append(td);
    }
    return tr;
  }));
}

function render(data: PanelData): void {
  lastData = data;
  const m = data.model;
  const when = new Date(data.updatedMs).toLocaleTimeString();
  $('origin').textContent = data.origin === 'prometheus'
    ? `From Prometheus at ${data.from} (query_range, last 10 minutes) · updated ${when}`
    : `Scraped directly from ${data.from || 'the server'} every 5 s · updated ${when}`;
  $('notes').replaceChildren(...m.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  $('error').hidden = true;
  renderCharts(m);
  fillTable('versions', m.versions.map((v) => [v.model, v.version, v.error ? `${v.state}: ${v.error}` : v.state]));
  fillTable('loads', m.loads.map((l) => [l.model, l.version, l.loadMillis === undefined ? '–' : `${l.loadMillis.toFixed(1)} ms`, String(l.failures)]));
  document.body.dataset.ready = 'true';
}

window.addEventListener('message', (e: MessageEvent<{ type: string; data?: PanelData; message?: string }>) => {
  if (e.data.type === 'data' && e.data.data) render(e.data.data);
  else if (e.data.type === 'error') {
    const el = $('error');
    el.textContent = e.data.message ?? 'Unknown error';
    el.hidden = false;
  }
});

// Theme switch: VS Code swaps the body class; rebuild the charts with the new colours.
new MutationObserver(() => {
  for (const d of drawn.values()) d.plot.destroy();
  drawn.clear();
  if (lastData) renderCharts(lastData.model);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

new ResizeObserver(() => {
  for (const d of drawn.values()) {
    const w = chartWidth(d.plot.root.parentElement);
    if (d.plot.width !== w) d.plot.setSize({ width: w, height: 220 });
  }
}).observe($('charts'));

vscode.postMessage({ type: 'ready' });
