// One level of a load test. Closed loop: `concurrency` workers, each sending its next request when the last one
// is answered; latency from the actual send. Open loop: requests scheduled at a fixed rate whatever the server
// does; a request that finds no free connection waits in a queue, and its latency counts from its scheduled send
// time — a stalled server shows as the latency of every request it held up (no coordinated omission). Only the
// generator's own lateness (its timer woke late: the machine, not the server) is left out, and reported apart.
// Warm-up answers are not recorded; then windows until stable or a bound; cancel closes every connection at once.
import { ErrorTally, type Outcome } from './outcome';
import { LatencyHistogram, round3 } from './latencyHistogram';
import type { Arrivals, LoadTestPlan } from './loadTestPlan';
import type { LevelEnd, LevelResult, ServerLatency } from './loadTestReport';
import { isStable, type WindowFigures } from './stableWindows';
import { CANCELLED, type Channel, type Transport } from './transport';

/**
 * Node's timers fire on whole milliseconds and late, never early; a request due within this much of now is sent at
 * once, so the schedule keeps its rate without the timer's lateness counting as the server's latency.
 */
const EARLY_MS = 1;

export interface LevelProgress {
  readonly phase: 'warmup' | 'measure';
  readonly windows: readonly WindowFigures[];
  readonly elapsedMs: number;
}

export interface LevelContext {
  readonly transport: Transport;
  readonly plan: LoadTestPlan;
  readonly level: number;
  readonly label: string;
  readonly examplesPerRequest: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LevelProgress) => void;
  /** Server latency over the measured time: called at its start and at its end. */
  readonly serverWindow?: () => { end(): Promise<ServerLatency | undefined> };
}

interface Window {
  readonly hist: LatencyHistogram;
  readonly errors: ErrorTally;
  count: number;
  startMs: number;
  endMs: number;
}

export async function runLevel(ctx: LevelContext): Promise<LevelResult> {
  const { plan, transport } = ctx;
  const started = performance.now();
  // When measuring began (the warm-up timer may fire late on a busy machine); answers to requests sent before are not recorded.
  let measureStart = started + plan.warmupMs;
  const windows: Window[] = [];
  const figures: WindowFigures[] = [];
  const newWindow = (at: number): Window => ({ hist: new LatencyHistogram(), errors: new ErrorTally(), count: 0, startMs: at, endMs: at });
  // Only the last few windows are kept beside the running total, so memory stays flat however long a level runs.
  const total = newWindow(0);
  let current: Window | undefined;
  let measured = 0;
  // Changed by timers and answers, so read afresh each time (hence the casts: no narrowing across callbacks).
  let phase = (plan.warmupMs > 0 ? 'warmup' : 'measure') as 'warmup' | 'measure' | 'draining' | 'done';
  let end = 'max-duration' as LevelEnd;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let cpuMicros = 0;
  let server: { end(): Promise<ServerLatency | undefined> } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => { const t = setTimeout(() => { timers.delete(t); fn(); }, ms); timers.add(t); };

  // The open loop's queue of requests waiting for a connection, and the answers drained after measuring.
  let inFlight = 0;
  // Each waiting request's scheduled time, and when the generator got to it (later when its timer woke late).
  const queue: number[] = [];
  const queueNoticed: number[] = [];
  let head = 0;
  let tail: Window | undefined;

  /** Open loop: how late requests left after their scheduled time (a busy generator or no free connection). */
  const sendLag = new LatencyHistogram();
  /** Open loop: of that, the generator's own lateness — scheduled time to when its timer let it act. */
  const generatorLag = new LatencyHistogram();
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  const record = (o: Outcome, latencyMs: number, sentAt: number) => {
    if (o === CANCELLED || !current || sentAt < measureStart || phase === 'done') return;
    if (o.ok) current.hist.record(latencyMs);
    else current.errors.add(o);
    current.count++;
    measured++;
    if (phase === 'measure' && (measured >= (plan.fixedRequests ?? plan.maxRequests))) stop(plan.fixedRequests ? 'requests' : 'max-requests');
  };

  const closeWindow = (at: number) => {
    const w = current!;
    w.endMs = at;
    const seconds = (w.endMs - w.startMs) / 1000;
    figures.push({ requestsPerSecond: seconds > 0 ? w.count / seconds : 0, p99Ms: w.hist.percentileMs(99), count: w.count });
    windows.push(w);
    // Keep just the windows stability looks at; older ones live on in `total`.
    while (windows.length > plan.stableWindows) windows.shift()!.hist.destroy();
    total.hist.add(w.hist);
    total.errors.merge(w.errors);
    if (figures.length === 1) total.startMs = w.startMs; // the first window starts the total
    total.count += w.count;
    total.endMs = at;
    current = undefined;
  };

  const startMeasuring = () => {
    if (phase === 'done') return;
    phase = 'measure';
    measureStart = performance.now();
    current = newWindow(measureStart);
    cpuStart = process.cpuUsage();
    server = ctx.serverWindow?.();
    scheduleWindow();
  };

  const scheduleWindow = () => {
    const w = current!;
    later(Math.max(0, w.startMs + plan.windowMs - performance.now()), () => {
      if (phase !== 'measure') return;
      const now = performance.now();
      closeWindow(now);
      ctx.onProgress?.({ phase: 'measure', windows: figures, elapsedMs: now - started });
      const measuredMs = now - measureStart;
      // Timers round to whole milliseconds: a level is done when less than half a window is left.
      const left = (limit: number) => limit - measuredMs < plan.windowMs / 2;
      if (plan.fixedDurationMs !== undefined && left(plan.fixedDurationMs)) return stop('duration');
      if (plan.fixedDurationMs === undefined && plan.fixedRequests === undefined && isStable(figures, plan.stableWindows, plan.tolerance)) return stop('stable');
      if (left(plan.maxDurationMs)) return stop('max-duration');
      current = newWindow(now);
      scheduleWindow();
    });
  };

  /** Measurement over: the closed loop drops what is in flight; the open loop lets it (and its queue) finish. */
  const stop = (why: LevelEnd) => {
    if (phase !== 'measure') return;
    end = why;
    const now = performance.now();
    if (current) closeWindow(now); // a level ended by its request count, mid-window
    cpuMicros = cpuStart ? (() => { const u = process.cpuUsage(cpuStart); return u.user + u.system; })() : 0;
    if (plan.mode.kind === 'open') {
      phase = 'draining';
      tail = newWindow(now);
      current = tail;
      if (inFlight === 0 && queue.length === head) done();
      else later(plan.timeoutMs, done);
    } else done();
  };

  const done = () => {
    if (phase === 'done') return;
    // Requests still queued when the drain runs out never got an answer in time.
    if (phase === 'draining' && tail) {
      for (; head < queue.length; head++) { tail.errors.add({ ok: false, kind: 'timeout', message: `not sent within ${plan.timeoutMs} ms of its scheduled time` }); tail.count++; }
    }
    phase = 'done';
    for (const t of timers) clearTimeout(t);
    timers.clear();
    transport.close();
    finish();
  };

  const onAbort = () => {
    end = 'cancelled';
    if (current && phase === 'measure') closeWindow(performance.now());
    phase = 'done'; // nothing cut off by cancel is counted
    for (const t of timers) clearTimeout(t);
    timers.clear();
    transport.close();
    finish();
  };
  if (ctx.signal?.aborted) onAbort();
  else ctx.signal?.addEventListener('abort', onAbort, { once: true });

  if (phase === 'done') { /* cancelled before it began */ }
  else if (plan.warmupMs > 0) {
    ctx.onProgress?.({ phase: 'warmup', windows: figures, elapsedMs: 0 });
    later(plan.warmupMs, startMeasuring);
  } else startMeasuring();

  if (phase !== 'done') {
    if (plan.mode.kind === 'closed') {
      for (let i = 0; i < ctx.level; i++) void worker(transport.channel());
    } else {
      dispatchAtRate(ctx.level, plan.mode.connections, plan.mode.arrivals);
    }
  }

  async function worker(ch: Channel): Promise<void> {
    while (phase === 'warmup' || phase === 'measure') {
      const o = await ch.send();
      record(o, ch.answeredAt - ch.sentAt, ch.sentAt);
    }
  }

  function dispatchAtRate(rate: number, maxConnections: number, arrivals: Arrivals): void {
    const interval = 1000 / rate;
    // The next request's scheduled time: evenly spaced, or after an exponential gap of the same mean (Poisson).
    let due = performance.now();
    const gap = arrivals === 'poisson' ? () => -Math.log(1 - Math.random()) * interval : () => interval;
    const idle: Channel[] = [];
    let open = 0;
    const fire = (ch: Channel, scheduled: number, noticed: number) => {
      inFlight++;
      void ch.send().then((o) => {
        inFlight--;
        const sentAt = ch.sentAt;
        if (o !== CANCELLED && current && scheduled >= measureStart && phase !== 'done') {
          sendLag.record(Math.max(0, sentAt - scheduled));
          generatorLag.record(Math.max(0, noticed - scheduled));
        }
        // From the scheduled time, or from when the generator got to it if its timer woke late, when sent late
        // (waiting for a connection is the server's doing); from the send when the timer let it go up to EARLY_MS early.
        record(o, ch.answeredAt - Math.min(Math.max(scheduled, noticed), sentAt), scheduled);
        if (o === CANCELLED || phase === 'done') return;
        if (head < queue.length) { const i = head++; fire(ch, queue[i], queueNoticed[i]); }
        else {
          if (head > 1024) { queue.splice(0, head); queueNoticed.splice(0, head); head = 0; }
          idle.push(ch);
          if (phase === 'draining' && inFlight === 0) done();
        }
      });
    };
    const tick = () => {
      if (phase !== 'warmup' && phase !== 'measure') return;
      const now = performance.now();
      for (; due <= now + EARLY_MS; due += gap()) {
        const at = due;
        const ch = idle.pop() ?? (open < maxConnections ? (open++, transport.channel()) : undefined);
        if (ch) fire(ch, at, now);
        else { queue.push(at); queueNoticed.push(now); }
      }
      later(Math.max(0, due - EARLY_MS - performance.now()), tick);
    };
    tick();
  }

  await finished;
  ctx.signal?.removeEventListener('abort', onAbort);
  const serverLatency = server && end !== 'cancelled' ? await server.end() : undefined;

  // The figures: the stable windows when the level settled, every measured window otherwise; the open loop's
  // drained answers count in the latencies and errors (they were scheduled while measuring), not in the time.
  const chosen = end === 'stable' ? windows.slice(-plan.stableWindows) : [total];
  const hist = new LatencyHistogram();
  const errors = new ErrorTally();
  let count = 0;
  let seconds = 0;
  for (const w of chosen) { hist.add(w.hist); errors.merge(w.errors); count += w.count; seconds += (w.endMs - w.startMs) / 1000; }
  if (tail) { hist.add(tail.hist); errors.merge(tail.errors); }
  const latency = hist.summary();
  const lag = sendLag.count ? { p50Ms: round3(sendLag.percentileMs(50)), p99Ms: round3(sendLag.percentileMs(99)) } : undefined;
  const ownLag = generatorLag.count ? { p50Ms: round3(generatorLag.percentileMs(50)), p99Ms: round3(generatorLag.percentileMs(99)) } : undefined;
  sendLag.destroy();
  generatorLag.destroy();
  for (const w of [...windows, total, ...(tail ? [tail] : [])]) w.hist.destroy();
  hist.destroy();
  const rps = seconds > 0 ? count / seconds : 0;
  return {
    level: ctx.level,
    label: ctx.label,
    end,
    stable: isStable(figures, plan.stableWindows, plan.tolerance),
    windows: end === 'stable' ? chosen.length : figures.length,
    durationSeconds: round3(seconds),
    requests: count + (tail?.count ?? 0),
    ok: latency.count,
    requestsPerSecond: round3(rps),
    examplesPerSecond: round3(rps * ctx.examplesPerRequest),
    latencyMs: latency,
    errors: errors.counts(),
    clientCpuMicrosPerRequest: measured ? round3(cpuMicros / measured) : 0,
    ...(serverLatency ? { server: serverLatency } : {}),
    ...(lag ? { sendLagMs: lag } : {}),
    ...(ownLag ? { generatorLagMs: ownLag } : {}),
  };
}
