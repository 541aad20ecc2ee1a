// `tfserving-studio loadtest <container|url>`: latency percentiles and throughput of a served model, closed loop
// over concurrency levels or open loop at a fixed rate. Progress on stderr; the table, --json or --csv on stdout.
// Ctrl-C ends the run at once and prints the levels that finished.
import { parseArgs, UsageError } from './cliArgs';
import * as path from 'node:path';
import type { CliCommand } from './cliIo';
import type { LoadTestTarget } from '../core/loadtest/loadTestTarget';

const valueFlags = ['model', 'signature', 'batch', 'seed', 'body', 'concurrency', 'rate', 'connections', 'arrivals', 'duration', 'requests', 'warm-up', 'window', 'max-duration', 'timeout', 'metrics-path', 'grpc-address', 'warmup'];
const booleanFlags = ['json', 'csv', 'allow-remote', 'grpc'];

export const loadtestCommand: CliCommand = {
  name: 'loadtest',
  usage: 'loadtest <container|url> [--grpc [--grpc-address HOST:PORT]] [--model NAME] [--signature KEY] [--batch N] [--seed S] [--body FILE|--warmup FILE] [--concurrency 1,2,4,8,16] [--rate R [--connections N] [--arrivals constant|poisson]]'
    + ' [--duration 30s|--requests N] [--warm-up 2s] [--window 2s] [--max-duration 30s] [--timeout 10s] [--metrics-path P] [--allow-remote] [--json|--csv]',
  summary: 'Load-test a served model over REST or gRPC: throughput and p50/p90/p95/p99/max latency per concurrency level (closed loop) or at a fixed rate (open loop, measured from each scheduled send), errors by kind, and TF Serving\'s own latency when monitoring is on.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: valueFlags, booleans: booleanFlags, positional: [1, 1] });
    const get = (n: string) => flags.get(n)?.at(-1);
    if (flags.has('json') && flags.has('csv')) throw new UsageError('give --json or --csv, not both');
    if (flags.has('body') && flags.has('warmup')) throw new UsageError('give --body or --warmup, not both');
    if ((flags.has('body') || flags.has('warmup')) && (flags.has('signature') || flags.has('batch') || flags.has('seed'))) throw new UsageError('--body sends the file as it is; --signature, --batch and --seed are for generated requests');
    const { loadTestPlan, LoadTestPlanError } = await import('../core/loadtest/loadTestPlan');
    const plan = (() => {
      try {
        return loadTestPlan({
          concurrency: get('concurrency'), rate: get('rate'), connections: get('connections'), arrivals: get('arrivals'), duration: get('duration'), requests: get('requests'),
          warmupTime: get('warm-up'), window: get('window'), maxDuration: get('max-duration'), timeout: get('timeout'),
        });
      } catch (e) {
        if (e instanceof LoadTestPlanError) throw new UsageError(`${e.message}${e.hint ? ' ' + e.hint : ''}`);
        throw e;
      }
    })();
    if (flags.has('grpc-address') && !flags.has('grpc')) throw new UsageError('--grpc-address goes with --grpc');
    const target = await resolveTarget(positional[0], get('model'), get('metrics-path'), flags.has('allow-remote'), flags.has('grpc') ? { address: get('grpc-address') } : undefined);

    const source = await import('../core/loadtest/requestSource');
    let requests;
    try {
      if (get('body')) requests = await source.requestsFromBodyFile(path.resolve(io.cwd, get('body')!));
      else if (get('warmup')) requests = await source.requestsFromWarmupFile(path.resolve(io.cwd, get('warmup')!));
      else {
        const batch = get('batch') === undefined ? 1 : Number(get('batch'));
        const seed = get('seed') === undefined ? 0 : Number(get('seed'));
        if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${get('seed')}"`);
        const defs = await source.servedSignatureDefs(target.restUrl, target.model, target.version);
        requests = source.requestsFromSignature(source.chooseSignature(defs, get('signature'), target.model), batch, seed);
      }
    } catch (e) {
      if (e instanceof source.RequestSourceError) throw new Error(`${e.message}${e.hint ? ' ' + e.hint : ''}`);
      throw e;
    }

    const { runLoadTest } = await import('../core/loadtest/loadTest');
    const report = await import('../core/loadtest/loadTestReport');
    const ac = new AbortController();
    const onSigint = () => { io.err('Cancelled: stopping at once.'); ac.abort(); };
    process.once('SIGINT', onSigint);
    try {
      io.err(`Load test of ${target.model} at ${target.grpcAddress ? `grpc://${target.grpcAddress}` : target.restUrl}: ${requests.description}`);
      const run = await runLoadTest({
        target, plan, requests, signal: ac.signal,
        onProgress: (p) => {
          const w = p.windows.at(-1);
          io.err(p.phase === 'warmup' ? `[${p.levelIndex + 1}/${p.levelCount}] ${p.label}: warming up`
            : `[${p.levelIndex + 1}/${p.levelCount}] ${p.label}: window ${p.windows.length}: ${w!.requestsPerSecond.toFixed(1)} req/s, p99 ${w!.p99Ms.toFixed(2)} ms`);
        },
      });
      io.out(flags.has('json') ? report.runToJson(run) : flags.has('csv') ? report.runToCsv(run) : report.runToText(run));
      return run.cancelled ? 130 : 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};

/** A URL, or a running container's name or id (its REST port, model and monitoring path from Docker). */
async function resolveTarget(arg: string, model: string | undefined, metricsPath: string | undefined, allowRemote: boolean, grpc?: { address?: string }): Promise<LoadTestTarget> {
  const { targetFromUrl, probeMetricsPath, remoteTargetWarning, grpcAddressUrl, publishedGrpcAddress } = await import('../core/loadtest/loadTestTarget');
  const grpcTarget = (address: string) => {
    if (!/^[^:/\s]+:\d+$|^\[[^\]]+\]:\d+$/.test(address)) throw new UsageError(`--grpc-address needs HOST:PORT (got "${address}")`);
    refuseRemote(grpcAddressUrl(address));
    return { grpcAddress: address };
  };
  // Before anything is sent to it, not even the metrics probe.
  const refuseRemote = (url: string) => {
    const warning = remoteTargetWarning(url);
    if (warning && !allowRemote) throw new Error(`${warning} Pass --allow-remote to test it anyway.`);
  };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) {
    const t = targetFromUrl(arg);
    const name = model ?? t.model;
    if (!name) throw new UsageError(`which model? Give ${arg.replace(/\/$/, '')}/v1/models/<model> or --model NAME`);
    refuseRemote(t.restUrl);
    const viaGrpc = grpc ? grpcTarget(grpc.address ?? `${new URL(t.restUrl).host.replace(/:\d+$/, '')}:8500`) : {};
    const metrics = metricsPath ?? await probeMetricsPath(t.restUrl);
    return { restUrl: t.restUrl, model: name, ...(t.version ? { version: t.version } : {}), ...(metrics ? { metricsPath: metrics } : {}), ...viaGrpc };
  }
  const { DockerEngine } = await import('../core/serving/dockerEngine');
  const engine = await DockerEngine.connect();
  const containers = await engine.listServingContainers();
  const c = containers.find((x) => x.name === arg || x.id.startsWith(arg));
  if (!c) {
    const names = containers.filter((x) => x.state === 'running').map((x) => x.name);
    throw new Error(`No TF Serving container "${arg}" on ${engine.endpoint.description}. Running: ${names.join(', ') || 'none'}.`);
  }
  if (c.state !== 'running' || !c.restUrl) throw new Error(`Container ${c.name} is ${c.state}${c.restUrl ? '' : ' with no published REST port'}; start it first (tfserving-studio serve, or the Serving view).`);
  refuseRemote(c.restUrl);
  const name = model ?? c.modelName;
  if (!name) throw new UsageError(`container ${c.name} does not say which model it serves; give --model NAME`);
  let viaGrpc = {};
  if (grpc) {
    const address = grpc.address ?? publishedGrpcAddress(c.ports);
    if (!address) throw new Error(`Container ${c.name} publishes no gRPC port (8500); give --grpc-address HOST:PORT or load-test over REST.`);
    viaGrpc = grpcTarget(address);
  }
  const metrics = metricsPath ?? c.monitoringPath;
  return { restUrl: c.restUrl, model: name, ...(metrics ? { metricsPath: metrics } : {}), ...viaGrpc };
}
