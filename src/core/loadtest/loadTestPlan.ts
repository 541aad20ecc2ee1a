// What a load test does, decided once for the editor and the CLI: the levels (a closed-loop sweep over concurrency
// or open-loop rates), the warm-up, the measurement windows and when a level ends — stable (the last windows agree
// on throughput and p99), or a fixed duration or request count — and the bounds every level has whatever is asked.

export type LoadMode =
  | { readonly kind: 'closed'; readonly concurrency: readonly number[] }
  /** Fixed request rates (per second); `connections` caps the sockets that carry them. */
  | { readonly kind: 'open'; readonly rates: readonly number[]; readonly connections: number; readonly arrivals: Arrivals };

/**
 * How an open loop spaces its requests: evenly (`constant`), or as independent clients would send them (`poisson`:
 * exponential gaps of the same mean, as perf_analyzer's --request-distribution=poisson), which bunches some up.
 */
export type Arrivals = 'constant' | 'poisson';
export const ARRIVALS: readonly Arrivals[] = ['constant', 'poisson'];

export interface LoadTestPlan {
  readonly mode: LoadMode;
  /** Sent and not recorded, before each level's first window. */
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Consecutive windows that must agree for a level to be stable. */
  readonly stableWindows: number;
  /** How far (a fraction) each of those windows may be from their mean, in throughput and in p99. */
  readonly tolerance: number;
  /** A level measures exactly this long (stability is still reported)… */
  readonly fixedDurationMs?: number;
  /** …or ends after this many measured requests… */
  readonly fixedRequests?: number;
  /** …and never measures longer than this. */
  readonly maxDurationMs: number;
  /** Never more requests than this in one level. */
  readonly maxRequests: number;
  readonly timeoutMs: number;
}

export class LoadTestPlanError extends Error {
  constructor(message: string, readonly hint?: string) { super(message); }
}

export const DEFAULT_CONCURRENCY = [1, 2, 4, 8, 16] as const;
export const DEFAULTS = {
  warmupMs: 2_000,
  windowMs: 2_000,
  stableWindows: 3,
  tolerance: 0.1,
  maxDurationMs: 30_000,
  maxRequests: 1_000_000,
  timeoutMs: 10_000,
  openConnections: 64,
} as const;

/** "30s", "500ms", "2m", "1.5s" → milliseconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new LoadTestPlanError(`${what} "${text}" is not a duration.`, 'Write it like 30s, 500ms or 2m.');
  const v = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (!(v > 0)) throw new LoadTestPlanError(`${what} must be more than zero (got "${text}").`);
  return Math.round(v);
}

/** "1,2,4,8" → [1, 2, 4, 8]: positive whole numbers, each level once, in the order given. */
export function parseLevels(text: string, what: string, max: number): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) throw new LoadTestPlanError(`${what} is empty.`, 'Give a number or a list like 1,2,4,8.');
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p) || Number(p) < 1) throw new LoadTestPlanError(`${what} "${p}" is not a whole number of at least 1.`, 'Give a number or a list like 1,2,4,8.');
    const n = Number(p);
    if (n > max) throw new LoadTestPlanError(`${what} ${n} is more than the ${max} this load test allows.`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The options as a user writes them (CLI flags, the editor's inputs); strings are parsed here, once. */
export interface LoadTestOptions {
  readonly concurrency?: string;
  readonly rate?: string;
  readonly connections?: string;
  /** constant (default) or poisson; open loop only. */
  readonly arrivals?: string;
  readonly duration?: string;
  readonly requests?: string;
  readonly warmupTime?: string;
  readonly window?: string;
  readonly maxDuration?: string;
  readonly timeout?: string;
}

export function loadTestPlan(o: LoadTestOptions): LoadTestPlan {
  if (o.concurrency !== undefined && o.rate !== undefined) {
    throw new LoadTestPlanError('Give either a concurrency sweep (closed loop) or a rate (open loop), not both.');
  }
  if (o.duration !== undefined && o.requests !== undefined) {
    throw new LoadTestPlanError('Give either a duration or a request count per level, not both.');
  }
  const arrivals = o.arrivals === undefined ? 'constant' : o.arrivals.trim().toLowerCase();
  if (!(ARRIVALS as readonly string[]).includes(arrivals)) throw new LoadTestPlanError(`The arrivals "${o.arrivals}" are neither constant nor poisson.`, 'Write constant (evenly spaced) or poisson.');
  const mode: LoadMode = o.rate !== undefined
    ? { kind: 'open', rates: parseLevels(o.rate, 'The rate', 1_000_000), connections: o.connections === undefined ? DEFAULTS.openConnections : parseLevels(o.connections, 'The connection count', 10_000)[0], arrivals: arrivals as Arrivals }
    : { kind: 'closed', concurrency: o.concurrency === undefined ? [...DEFAULT_CONCURRENCY] : parseLevels(o.concurrency, 'The concurrency', 10_000) };
  if (o.connections !== undefined && mode.kind === 'closed') throw new LoadTestPlanError('Connections apply to an open-loop run (--rate); a closed loop uses one per concurrent request.');
  if (o.arrivals !== undefined && mode.kind === 'closed') throw new LoadTestPlanError('Arrivals apply to an open-loop run (--rate); a closed loop sends each request when the last one is answered.');
  const fixedDurationMs = o.duration === undefined ? undefined : parseDuration(o.duration, 'The duration');
  let fixedRequests: number | undefined;
  if (o.requests !== undefined) {
    if (!/^\d+$/.test(o.requests.trim()) || Number(o.requests) < 1) throw new LoadTestPlanError(`The request count "${o.requests}" is not a whole number of at least 1.`);
    fixedRequests = Number(o.requests);
    if (fixedRequests > DEFAULTS.maxRequests) throw new LoadTestPlanError(`${fixedRequests} requests per level is more than the ${DEFAULTS.maxRequests.toLocaleString('en-US')} a level may send.`);
  }
  const maxDurationMs = o.maxDuration === undefined ? Math.max(DEFAULTS.maxDurationMs, fixedDurationMs ?? 0) : parseDuration(o.maxDuration, 'The maximum duration');
  if (fixedDurationMs !== undefined && fixedDurationMs > maxDurationMs) throw new LoadTestPlanError(`The duration ${o.duration} is longer than the maximum ${o.maxDuration}.`);
  return {
    mode,
    warmupMs: o.warmupTime === undefined ? DEFAULTS.warmupMs : o.warmupTime === '0' ? 0 : parseDuration(o.warmupTime, 'The warm-up time'),
    windowMs: o.window === undefined ? Math.min(DEFAULTS.windowMs, fixedDurationMs ?? Infinity) : parseDuration(o.window, 'The window'),
    stableWindows: DEFAULTS.stableWindows,
    tolerance: DEFAULTS.tolerance,
    ...(fixedDurationMs !== undefined ? { fixedDurationMs } : {}),
    ...(fixedRequests !== undefined ? { fixedRequests } : {}),
    maxDurationMs,
    maxRequests: DEFAULTS.maxRequests,
    timeoutMs: o.timeout === undefined ? DEFAULTS.timeoutMs : parseDuration(o.timeout, 'The timeout'),
  };
}

/** The levels of a plan, each with the label reports and curves use. */
export function planLevels(plan: LoadTestPlan): { readonly value: number; readonly label: string }[] {
  return plan.mode.kind === 'closed'
    ? plan.mode.concurrency.map((c) => ({ value: c, label: `concurrency ${c}` }))
    : plan.mode.rates.map((r) => ({ value: r, label: `${r} req/s${plan.mode.kind === 'open' && plan.mode.arrivals === 'poisson' ? ' (Poisson)' : ''}` }));
}
