// A whole load test: each level of the plan in turn over the chosen protocol, progress after every window, the
// server's own latency beside ours when monitoring is on, and a run that cancel ends at once.
import { loadHistogramLibrary } from './latencyHistogram';
import { planLevels, type LoadTestPlan } from './loadTestPlan';
import { RUN_FORMAT, type LevelResult, type LoadTestRun } from './loadTestReport';
import { runLevel, type LevelProgress } from './levelRun';
import type { RequestSet } from './requestSource';
import { predictPath, type LoadTestTarget } from './loadTestTarget';
import { RestTransport, restRequests } from './restTransport';
import type { Transport } from './transport';
import { ServerLatencyProbe } from './serverLatency';

export interface RunProgress extends LevelProgress {
  readonly levelIndex: number;
  readonly levelCount: number;
  readonly label: string;
  /** Levels finished so far. */
  readonly levels: readonly LevelResult[];
}

export interface LoadTestRequest {
  readonly target: LoadTestTarget;
  readonly plan: LoadTestPlan;
  readonly requests: RequestSet;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RunProgress) => void;
  /** A finished level, for live curves. */
  readonly onLevel?: (level: LevelResult, run: LoadTestRun) => void;
}

export const MONITORING_OFF_NOTE = "TF Serving's monitoring is off on this server, so only the client's latency is shown; start the server with monitoring (the default of Start TF Serving…) to see its own.";

export async function runLoadTest(req: LoadTestRequest): Promise<LoadTestRun> {
  await loadHistogramLibrary();
  const { target, plan } = req;
  const transportFor = await transportMaker(target, req.requests.bodies, plan.timeoutMs);
  const probe = target.metricsPath ? new ServerLatencyProbe(target.restUrl, target.metricsPath, target.model) : undefined;
  const levels: LevelResult[] = [];
  const version = target.version && ('version' in target.version ? String(target.version.version) : `label ${target.version.label}`);
  const snapshot = (cancelled: boolean): LoadTestRun => ({
    format: RUN_FORMAT,
    startedAt,
    target: { url: target.grpcAddress ? `grpc://${target.grpcAddress}` : target.restUrl, model: target.model, protocol: target.grpcAddress ? 'grpc' : 'rest', ...(version ? { version } : {}) },
    source: { description: req.requests.description, examplesPerRequest: req.requests.examplesPerRequest, distinctRequests: req.requests.bodies.length, ...(req.requests.rule ? { rule: req.requests.rule } : {}) },
    mode: plan.mode.kind,
    settings: {
      warmupMs: plan.warmupMs, windowMs: plan.windowMs, stableWindows: plan.stableWindows, tolerance: plan.tolerance,
      ...(plan.fixedDurationMs !== undefined ? { fixedDurationMs: plan.fixedDurationMs } : {}),
      ...(plan.fixedRequests !== undefined ? { fixedRequests: plan.fixedRequests } : {}),
      maxDurationMs: plan.maxDurationMs, timeoutMs: plan.timeoutMs,
      ...(plan.mode.kind === 'open' ? { connections: plan.mode.connections, arrivals: plan.mode.arrivals } : {}),
    },
    levels: [...levels],
    cancelled,
    ...(!probe ? { serverLatencyNote: MONITORING_OFF_NOTE } : probe.note ? { serverLatencyNote: probe.note } : {}),
  });
  const startedAt = new Date().toISOString();
  const all = planLevels(plan);
  for (let i = 0; i < all.length; i++) {
    if (req.signal?.aborted) return snapshot(true);
    const { value, label } = all[i];
    const transport = transportFor();
    const result = await runLevel({
      transport, plan, level: value, label, examplesPerRequest: req.requests.examplesPerRequest, signal: req.signal,
      onProgress: (p) => req.onProgress?.({ ...p, levelIndex: i, levelCount: all.length, label, levels }),
      ...(probe ? { serverWindow: () => probe.window() } : {}),
    });
    if (result.end === 'cancelled') return snapshot(true);
    levels.push(result);
    req.onLevel?.(result, snapshot(false));
  }
  return snapshot(false);
}

/** REST by default; gRPC when the target names its gRPC address (the signature's dtypes read over gRPC, once). */
async function transportMaker(target: LoadTestTarget, bodies: readonly string[], timeoutMs: number): Promise<() => Transport> {
  if (!target.grpcAddress) {
    const endpoint = { baseUrl: target.restUrl, path: predictPath(target.model, target.version) };
    const bytes = restRequests(endpoint, bodies);
    return () => new RestTransport(endpoint, bytes, timeoutMs);
  }
  const { GrpcServingClient } = await import('../grpc/grpcServingClient');
  const { GrpcTransport, grpcRequests } = await import('./grpcTransport');
  const { encodePredictRequest } = await import('../grpc/tfServingGrpcClient');
  const meta = new GrpcServingClient(target.grpcAddress, { timeoutMs: 10_000 });
  try {
    const defs = (await meta.metadata(target.model, target.version)).value.metadata.signature_def.signature_def;
    const encoded = await Promise.all(grpcRequests(target.model, target.version, bodies, defs).map(encodePredictRequest));
    const address = target.grpcAddress;
    return () => new GrpcTransport(address, encoded, timeoutMs);
  } finally {
    meta.raw.close();
  }
}
