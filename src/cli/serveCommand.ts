// `tfserving-studio serve`: start tensorflow/serving for a model on the Docker engine, or (--dry-run) print the
// exact create body and config files without any network call.
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_BATCHING_PARAMETERS } from '../core/configs/batchingParameters';
import { containerCreateBody, maskCreateBody } from '../core/serving/containerCreateBody';
import { dockerRunCommand } from '../core/serving/dockerRunCommand';
import { DockerEngineError } from '../core/serving/dockerEngineError';
import { preflight } from '../core/serving/servingPreflight';
import { defaultServingSpec, DEFAULT_GRPC_PORT, DEFAULT_REST_PORT, type ServingSpec } from '../core/serving/servingSpec';
import { resolveServingTarget } from '../core/serving/servingTarget';
import type { CliCommand, CliIo } from './cliIo';
import { parseArgs } from './cliArgs';

const BOOLEANS = ['dry-run', 'json', 'gpu', 'no-monitoring', 'batching', 'prefer-tflite', 'no-wait', 'allow-labels-for-unavailable'];

function intFlag(flags: Map<string, string[]>, name: string): number | undefined {
  const v = flags.get(name)?.at(-1);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} needs a whole number (got "${v}").`);
  return Number(v);
}
const one = (flags: Map<string, string[]>, name: string) => flags.get(name)?.at(-1);

export function servingSpecFromArgs(args: string[], io: Pick<CliIo, 'env' | 'cwd'>): { spec: ServingSpec; dryRun: boolean; json: boolean; wait: boolean } {
  const { positional, flags } = parseArgs(args, {
    values: ['tag', 'rest-port', 'grpc-port', 'poll-seconds', 'name', 'model-name', 'bind', 'config-dir', 's3-mode', 'mirror-dir', 'service-account', 'label', 'monitoring-path'],
    booleans: BOOLEANS, positional: [1, 1],
  });
  const s3Mode = one(flags, 's3-mode');
  if (s3Mode && s3Mode !== 'mirror' && s3Mode !== 'pinned') throw new Error('--s3-mode is "mirror" or "pinned".');
  const target = resolveServingTarget(positional[0], {
    cwd: io.cwd, env: io.env, modelName: one(flags, 'model-name'), s3Mode: s3Mode as 'mirror' | 'pinned' | undefined,
    mirrorDir: one(flags, 'mirror-dir'), serviceAccountFile: one(flags, 'service-account'),
  });
  const labels: Record<string, number> = {};
  for (const l of flags.get('label') ?? []) {
    const m = /^([A-Za-z0-9_-]+)=(\d+)$/.exec(l);
    if (!m) throw new Error(`--label takes NAME=VERSION (got "${l}").`);
    labels[m[1]] = Number(m[2]);
  }
  const restPort = intFlag(flags, 'rest-port') ?? DEFAULT_REST_PORT;
  const name = one(flags, 'name') ?? `tfserving-${target.modelName}-${restPort}`;
  const hasVersions = target.versionPolicy || Object.keys(labels).length;
  const spec = defaultServingSpec({
    modelName: target.modelName,
    source: target.source,
    ...(one(flags, 'tag') ? { imageTag: one(flags, 'tag')! } : {}),
    device: flags.has('gpu') ? 'gpu' : 'cpu',
    restPort,
    grpcPort: intFlag(flags, 'grpc-port') ?? DEFAULT_GRPC_PORT,
    bindAddress: one(flags, 'bind') ?? '127.0.0.1',
    monitoring: !flags.has('no-monitoring'),
    monitoringPath: one(flags, 'monitoring-path'),
    pollSeconds: intFlag(flags, 'poll-seconds'),
    batching: flags.has('batching') ? DEFAULT_BATCHING_PARAMETERS : undefined,
    preferTfliteModel: flags.has('prefer-tflite') || undefined,
    versions: hasVersions ? { policy: target.versionPolicy, labels, allowLabelsForUnavailableModels: flags.has('allow-labels-for-unavailable') } : undefined,
    containerName: name,
    configDir: path.resolve(io.cwd, one(flags, 'config-dir') ?? path.join(io.env.HOME ?? os.homedir(), '.cache', 'tfserving-studio', 'serving', name)),
  });
  return { spec, dryRun: flags.has('dry-run'), json: flags.has('json'), wait: !flags.has('no-wait') };
}

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve <modelUri|versionDir> [--dry-run] [--json] [--gpu] [--tag T] [--rest-port N] [--grpc-port N] [--poll-seconds N] [--no-monitoring] [--batching]',
  summary: 'Start tensorflow/serving for a model on Docker (--dry-run prints the container and config files).',
  async run(args, io) {
    const { spec, dryRun, json, wait } = servingSpecFromArgs(args, io);
    const plan = containerCreateBody(spec);
    if (dryRun) {
      if (json) io.out(JSON.stringify({ create: maskCreateBody(plan.create), files: plan.files }, null, 2));
      else {
        io.out(dockerRunCommand(plan.create));
        for (const f of plan.files) io.out(`\n# ${f.path}\n${f.content}`);
      }
      return 0;
    }
    if (spec.source.kind === 's3-mirror') {
      throw new Error('Mirror mode keeps copying new versions while the server runs, which the extension does; from the CLI use --s3-mode pinned, or mirror into a folder and serve that folder.');
    }
    const { DockerEngine } = await import('../core/serving/dockerEngine');
    const { TfServingClient } = await import('../core/serving/tfServingClient');
    try {
      preflight(spec);
      const engine = await DockerEngine.connect();
      const started = await engine.createAndStart(plan, {
        onPullProgress: (p) => { if (!json && p.status) io.err(`${p.id ? p.id + ': ' : ''}${p.status}`); },
      });
      if (wait) {
        const client = new TfServingClient(started.restUrl);
        await engine.waitUntilReady(started.id, () => client.isAvailable(spec.modelName), 120_000);
      }
      const urls = {
        id: started.id,
        name: started.name,
        rest: `${started.restUrl}/v1/models/${spec.modelName}`,
        grpc: started.grpcAddress,
        ...(started.metricsUrl ? { metrics: started.metricsUrl } : {}),
      };
      if (json) io.out(JSON.stringify(urls, null, 2));
      else {
        io.out(`Started ${started.name} (${started.id.slice(0, 12)})${wait ? ', model AVAILABLE' : ''}`);
        io.out(`  REST:    ${urls.rest}`);
        io.out(`  gRPC:    ${urls.grpc}`);
        if (urls.metrics) io.out(`  Metrics: ${urls.metrics}`);
      }
      return 0;
    } catch (e) {
      if (e instanceof DockerEngineError) {
        io.err(`tfserving-studio serve: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
        for (const l of e.details.lastLogLines ?? []) io.err(`  | ${l}`);
        return 1;
      }
      throw e;
    }
  },
};
