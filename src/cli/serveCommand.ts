// `tfserving-studio serve`: start tensorflow/serving for a model on the Docker engine, or (--dry-run) print the
// exact create body and config files without any network call.
import * as os from 'os';
import * as path from 'path';
import { containerCreateBody, maskCreateBody } from '../core/serving/containerCreateBody';
import { dockerRunCommand } from '../core/serving/dockerRunCommand';
import { DockerEngineError } from '../core/serving/dockerEngineError';
import { preflight } from '../core/serving/servingPreflight';
import type { ServingSpec } from '../core/serving/servingSpec';
import { resolveServingTarget, servingSpecFor } from '../core/serving/servingTarget';
import { parseLabelAssignment } from '../core/serving/versionLabels';
import { modelReadiness } from '../core/serving/modelReadiness';
import type { CliCommand, CliIo } from './cliIo';
import { parseArgs } from './cliArgs';

const BOOLEANS = ['dry-run', 'json', 'gpu', 'no-monitoring', 'batching', 'prefer-tflite', 'no-wait', 'allow-labels-for-unavailable'];
const VALUED = ['tag', 'rest-port', 'grpc-port', 'poll-seconds', 'name', 'model-name', 'bind', 'config-dir', 's3-mode', 'mirror-dir',
  'service-account', 'region', 'endpoint', 'label', 'monitoring-path'];

function intFlag(flags: Map<string, string[]>, name: string): number | undefined {
  const v = flags.get(name)?.at(-1);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} needs a whole number (got "${v}").`);
  return Number(v);
}
const one = (flags: Map<string, string[]>, name: string) => flags.get(name)?.at(-1);

export function servingSpecFromArgs(args: string[], io: Pick<CliIo, 'env' | 'cwd'>): { spec: ServingSpec; dryRun: boolean; json: boolean; wait: boolean } {
  const { positional, flags } = parseArgs(args, { values: VALUED, booleans: BOOLEANS, positional: [1, 1] });
  const s3Mode = one(flags, 's3-mode');
  if (s3Mode && s3Mode !== 'mirror' && s3Mode !== 'pinned') throw new Error('--s3-mode is "mirror" or "pinned".');
  const cache = path.join(io.env.HOME ?? os.homedir(), '.cache', 'tfserving-studio');
  const target = resolveServingTarget(positional[0], {
    cwd: io.cwd, env: io.env, modelName: one(flags, 'model-name'), s3Mode: s3Mode as 'mirror' | 'pinned' | undefined,
    mirrorDir: one(flags, 'mirror-dir'),
    repository: { region: one(flags, 'region'), endpoint: one(flags, 'endpoint'), keyFile: one(flags, 'service-account') },
  });
  const configDir = one(flags, 'config-dir');
  const spec = servingSpecFor(target, {
    imageTag: one(flags, 'tag'),
    device: flags.has('gpu') ? 'gpu' : 'cpu',
    restPort: intFlag(flags, 'rest-port'),
    grpcPort: intFlag(flags, 'grpc-port'),
    bindAddress: one(flags, 'bind'),
    monitoring: !flags.has('no-monitoring'),
    monitoringPath: one(flags, 'monitoring-path'),
    pollSeconds: intFlag(flags, 'poll-seconds'),
    batching: flags.has('batching'),
    preferTfliteModel: flags.has('prefer-tflite'),
    labels: Object.fromEntries((flags.get('label') ?? []).map(parseLabelAssignment)),
    allowLabelsForUnavailableModels: flags.has('allow-labels-for-unavailable'),
    containerName: one(flags, 'name'),
    configDir: configDir === undefined ? undefined : path.resolve(io.cwd, configDir),
  }, { configRoot: path.join(cache, 'serving'), mirrorRoot: path.join(cache, 'mirrors') });
  return { spec, dryRun: flags.has('dry-run'), json: flags.has('json'), wait: !flags.has('no-wait') };
}

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve <modelUri|versionDir> [--dry-run] [--json] [--no-wait] [--gpu] [--tag T] [--rest-port N] [--grpc-port N] [--bind ADDR] [--name CONTAINER]'
    + ' [--model-name NAME] [--poll-seconds N] [--no-monitoring] [--monitoring-path P] [--batching] [--prefer-tflite] [--label NAME=VERSION]…'
    + ' [--allow-labels-for-unavailable] [--config-dir DIR] [--s3-mode mirror|pinned] [--mirror-dir DIR] [--region R] [--endpoint URL] [--service-account KEY.json]',
  summary: 'Start tensorflow/serving for a model on Docker (--dry-run prints the container and config files). A local version holding model.tflite gets --prefer_tflite_model by itself; for such a bucket model give --prefer-tflite.',
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
        await engine.waitUntilReady(started.id, () => modelReadiness(client, spec.modelName), 120_000);
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
