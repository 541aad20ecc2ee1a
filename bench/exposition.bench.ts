// Parsing a 5,000-series TF Serving page (counters, 33-bucket latency histograms, escaped label values).
// Target: median ≤ 20 ms. Baseline in the same run: a naive split into lines and fields, the least any parser does.
// Runs under bench/run.ts (`npm run bench -- exposition`; every exported function is a benchmark, so helpers stay
// unexported) or alone: `npm run compile:tests && node out/bench/exposition.bench.js`.
import * as os from 'os';
import { performance } from 'perf_hooks';
import { parseExposition } from '../src/core/monitoring/expositionParser';
import { LATENCY_BUCKET_LIMITS_US } from '../src/core/monitoring/tfServingMetricNames';

interface Report { name: string; figures: Record<string, number | string>; target?: { description: string; met: boolean } }

const TARGET_MS = 20;

/** A page in TF Serving's layout with exactly `series` sample lines. */
function syntheticPage(series: number): string {
  const lines: string[] = [];
  let n = 0;
  const statuses = ['OK', 'INVALID_ARGUMENT', 'NOT_FOUND', 'FAILED_PRECONDITION', 'INTERNAL'];
  lines.push('# TYPE :tensorflow:serving:request_count counter');
  for (let m = 0; n < series * 0.2; m++) {
    for (const s of statuses) { lines.push(`:tensorflow:serving:request_count{model_name="model_${m}",status="${s}"} ${m * 7 + s.length}`); n++; }
  }
  lines.push('# TYPE :tensorflow:serving:request_latency histogram');
  const perHistogram = LATENCY_BUCKET_LIMITS_US.length + 3;
  for (let m = 0; n + perHistogram <= series; m++) {
    // Every tenth model name carries escapes, as user-chosen names may.
    const name = m % 10 === 0 ? `model \\"${m}\\" C:\\\\x` : `model_${m}`;
    const l = `model_name="${name}",API="predict",entrypoint="REST",status="OK"`;
    let cum = 0;
    for (const lim of LATENCY_BUCKET_LIMITS_US) {
      cum += m % 3;
      lines.push(`:tensorflow:serving:request_latency_bucket{${l},le="${Number(lim.toPrecision(6))}"} ${cum}`);
    }
    lines.push(`:tensorflow:serving:request_latency_bucket{${l},le="+Inf"} ${cum}`);
    lines.push(`:tensorflow:serving:request_latency_sum{${l}} ${cum * 1234.5}`);
    lines.push(`:tensorflow:serving:request_latency_count{${l}} ${cum}`);
    n += perHistogram;
  }
  lines.push('# TYPE :tensorflow:cc:saved_model:load_latency counter');
  for (let i = 0; n < series; i++, n++) lines.push(`:tensorflow:cc:saved_model:load_latency{model_path="/models/model_${i}/${i + 1}"} ${1000 + i}`);
  return lines.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall-clock and CPU milliseconds per run; on a shared, loaded machine the CPU time is the steadier figure. */
function timeRuns(runs: number, fn: () => unknown): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

function naiveSplit(text: string): number {
  let fields = 0;
  for (const line of text.split('\n')) fields += line.split(' ').length;
  return fields;
}

export async function exposition5000Series(): Promise<Report> {
  const text = syntheticPage(5000);
  const families = parseExposition(text);
  const samples = families.reduce((a, f) => a + f.samples.length, 0);
  if (samples !== 5000) throw new Error(`the page holds ${samples} series, not 5000`);
  for (let i = 0; i < 20; i++) { parseExposition(text); naiveSplit(text); } // warm-up (JIT)
  const runs = 60;
  const p = timeRuns(runs, () => parseExposition(text));
  const b = timeRuns(runs, () => naiveSplit(text));
  const parse = median(p.wall);
  const baseline = median(b.wall);
  return {
    name: 'exposition: parse a 5,000-series TF Serving page',
    figures: {
      'series': samples,
      'page KiB': Math.round(text.length / 1024),
      'runs': runs,
      'parse median ms': parse,
      'naive line split median ms (baseline)': baseline,
      'parse / baseline': parse / baseline,
      'parse median CPU ms': median(p.cpu),
      'baseline median CPU ms': median(b.cpu),
      'load average (1 min)': os.loadavg()[0],
    },
    target: { description: `median ≤ ${TARGET_MS} ms`, met: parse <= TARGET_MS },
  };
}

if (require.main === module) {
  exposition5000Series().then((r) => {
    console.log(r.name);
    for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k}: ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : v}`);
    if (r.target) console.log(`  target (${r.target.description}): ${r.target.met ? 'MET' : 'NOT MET'}`);
  }, (e) => { console.error(e); process.exit(1); });
}
