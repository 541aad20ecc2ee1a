// `tfserving-studio versions <modelUri> [--json]`: a model's versions as TF Serving sees them, in any repository
// (folder, s3://, gs://), with the same stores the extension uses.
import type { CliCommand, CliIo } from './cliIo';
import { parseFlags } from './cliIo';
import { formatLocation, parseLocation, type ModelLocation } from '../core/location';
import { listVersions, type IgnoredFolder, type ModelVersion } from '../core/model/modelRepository';
import { openStore, type RepositoryOptions } from '../core/storage/storeRegistry';
import type { ModelStore } from '../core/storage/modelStore';
import { StoreError } from '../core/storage/modelStore';
import { measurePollingCost, type PollMeasurable } from '../core/storage/pollingCost';
import { formatBytes } from '../core/format';

/** Connection flags shared by the bucket commands; credentials themselves come from the environment. */
export const STORE_FLAGS = ['endpoint', 'path-style', 'profile', 'region', 'key-file'] as const;
export const STORE_FLAGS_USAGE = '[--endpoint URL] [--path-style] [--profile NAME] [--region R] [--key-file SA.json]';

export function repositoryOptionsFromFlags(flags: Map<string, string[]>): RepositoryOptions {
  const last = (name: string) => flags.get(name)?.at(-1);
  return {
    endpoint: last('endpoint'),
    forcePathStyle: flags.has('path-style') ? last('path-style') !== 'false' : undefined,
    profile: last('profile'),
    region: last('region'),
    keyFile: last('key-file'),
  };
}

/** Opens the store for a model URI; AWS_* variables, GOOGLE_APPLICATION_CREDENTIALS and STORAGE_EMULATOR_HOST are
 *  read by the SDKs' standard chains. */
export async function openModel(uri: string, flags: Map<string, string[]>, io: CliIo): Promise<{ store: ModelStore; model: ModelLocation }> {
  // The SDK warns that releases after January 2027 need Node 22; ours is pinned, so the CLI keeps stderr to one line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const model = parseLocation(uri, io.cwd);
  return { store: await openStore(model, repositoryOptionsFromFlags(flags)), model };
}

export async function listAllVersions(store: ModelStore, model: ModelLocation, measure: boolean): Promise<{ versions: ModelVersion[]; ignored: IgnoredFolder[] }> {
  const versions: ModelVersion[] = [];
  const ignored: IgnoredFolder[] = [];
  let pageToken: string | undefined;
  do {
    const page = await listVersions(store, model, { measure, pageToken });
    versions.push(...page.versions);
    ignored.push(...page.ignored);
    pageToken = page.nextToken;
  } while (pageToken);
  versions.sort((a, b) => a.version - b.version);
  return { versions, ignored };
}

export function unknownFlag(flags: Map<string, string[]>, allowed: readonly string[]): string | undefined {
  return [...flags.keys()].find((f) => !allowed.includes(f));
}

export function describeStoreError(e: unknown): string {
  if (e instanceof StoreError) return e.hint ? `${e.message} ${e.hint}` : e.message;
  return e instanceof Error ? e.message : String(e);
}

export const versionsCommand: CliCommand = {
  name: 'versions',
  usage: `versions <modelUri> [--json] [--poll-seconds N] ${STORE_FLAGS_USAGE}`,
  summary: 'List a model\'s versions (folder, s3://, gs://) as TF Serving sees them; --poll-seconds adds the polling cost.',
  async run(args, io) {
    const { positional, flags } = parseFlags(args, ['json', 'path-style']);
    if (positional.length !== 1) {
      io.err(`Usage: tfserving-studio ${this.usage}`);
      return 2;
    }
    const bad = unknownFlag(flags, ['json', 'poll-seconds', ...STORE_FLAGS]);
    if (bad) {
      io.err(`tfserving-studio versions: unknown option --${bad}`);
      return 2;
    }
    const pollSeconds = flags.has('poll-seconds') ? Number(flags.get('poll-seconds')!.at(-1)) : undefined;
    if (pollSeconds !== undefined && !(pollSeconds > 0)) throw new Error('--poll-seconds must be a number of seconds > 0.');
    const { store, model } = await openModel(positional[0], flags, io);
    let listing;
    let cost;
    try {
      // Listing is a touch of the model: publishes that died midway are finished or rolled back first, and said so.
      // A repair that fails (e.g. read-only credentials) must not stop the listing; said after it, if it works.
      const repaired = await store.repair(model).catch((e) => [{ message: `could not repair interrupted publishes: ${describeStoreError(e)}` }]);
      listing = await listAllVersions(store, model, true);
      for (const o of repaired) io.err(`note: ${o.message}`);
      if (pollSeconds !== undefined && 'measureLevelListing' in store) cost = await measurePollingCost(store as ModelStore & PollMeasurable, model, pollSeconds);
    } catch (e) {
      throw new Error(describeStoreError(e));
    }
    if (flags.has('json')) {
      io.out(JSON.stringify({
        model: formatLocation(model),
        versions: listing.versions.map((v) => ({
          version: v.version, folder: v.folder, valid: v.valid, missing: v.missing,
          bytes: v.bytes ?? 0, objects: v.objects ?? 0, lastModified: v.lastModified ? v.lastModified.toISOString() : null,
        })),
        ignored: listing.ignored.map((i) => i.folder),
        ...(cost ? { pollingCost: cost } : {}),
      }, null, 2));
      return 0;
    }
    io.out(`${formatLocation(model)}: ${listing.versions.length} version(s)`);
    for (const v of listing.versions) {
      const state = v.valid ? (v.format ?? 'valid') : `NOT LOADABLE (missing ${v.missing.join(', ')})`;
      io.out(`  ${String(v.version).padStart(8)}  ${v.folder.padEnd(10)} ${state.padEnd(12)} ${String(v.objects ?? 0).padStart(5)} objects ${formatBytes(v.bytes ?? 0).padStart(9)}  ${v.lastModified?.toISOString() ?? ''}`);
    }
    const served = listing.versions.filter((v) => v.valid).at(-1);
    io.out(served ? `TF Serving loads version ${served.version} by default (the highest loadable).` : 'TF Serving finds no loadable version here.');
    for (const i of listing.ignored) io.out(`  ignored: ${i.reason}`);
    if (cost) {
      const line = (c: { pollSeconds: number; requestsPerHour: number; responseBytesPerHour: number }) =>
        `every ${c.pollSeconds} s: ${c.requestsPerHour.toLocaleString('en-US')} list requests and ${formatBytes(c.responseBytesPerHour)} of responses per hour`;
      io.out(`Polling cost (one poll = ${cost.perPoll.requests} list request(s), ${cost.perPoll.responseBytes} response bytes, measured):`);
      io.out(`  ${line(cost.atServingInterval)}`);
      io.out(`  ${line(cost.at120s)}`);
    }
    return 0;
  },
};
