// Messages between the Load Test panel and its page (media/loadtest/main.ts); the page only draws what it is sent.
import type { LoadTestRun } from '../../core/loadtest/loadTestReport';

export interface LiveStatus {
  readonly text: string;
  readonly running: boolean;
}

export type ToPage =
  /** `seq` numbers each message; the page's 'drawn' answer names the one it drew. */
  | { readonly type: 'runs'; readonly seq: number; readonly runs: readonly LoadTestRun[]; readonly titles: readonly string[]; readonly status?: LiveStatus };

export type FromPage =
  | { readonly type: 'ready' }
  | { readonly type: 'export'; readonly format: 'csv' | 'json' }
  | { readonly type: 'cancel' }
  /** What the page drew: per run, its table's rows as the numbers behind each cell (data-value). */
  | { readonly type: 'drawn'; readonly seq: number; readonly tables: readonly (readonly (readonly (string | number)[])[])[]; readonly charts: number };

/** The table's columns, in order: the page draws them, the tests read them back. */
export const TABLE_COLUMNS = [
  ['level', 'Level'], ['requestsPerSecond', 'req/s'], ['examplesPerSecond', 'examples/s'], ['p50Ms', 'p50 ms'], ['p90Ms', 'p90 ms'],
  ['p95Ms', 'p95 ms'], ['p99Ms', 'p99 ms'], ['maxMs', 'max ms'], ['errors', 'errors'], ['serverP50Ms', 'server p50 ms'], ['serverP99Ms', 'server p99 ms'],
] as const;
