// `tfserving-studio versions <modelUri> [--json]`: a model's versions as TF Serving sees them, in any repository
// (folder, s3://, gs://), with the same stores the extension uses.
import type { CliCommand } from './cliIo';
import { lastValue, parseArgs, UsageError } from './cliArgs';
import { describeStoreError, openModel, STORE_FLAGS, STORE_FLAGS_USAGE } from './storeFlags';
import { formatLocation } from '../core/location';
import { listAllVersions } from '../core/model/modelRepository';
import type { ModelStore } from '../core/storage/modelStore';
import { measurePollingCost, type PollMeasurable } from '../core/storage/pollingCost';
import { formatBytes } from '../core/format';

export const versionsCommand: CliCommand = {
  name: 'versions',
  usage: `versions <modelUri> [--json] [--poll-seconds N] ${STORE_FLAGS_USAGE}`,
  summary: 'List a model\'s versions (folder, s3://, gs://) as TF Serving sees them; --poll-seconds adds the polling cost.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, {
      values: ['poll-seconds', ...STORE_FLAGS.values], booleans: ['json', ...STORE_FLAGS.booleans], positional: [1, 1],
    });
    const pollSeconds = flags.has('poll-seconds') ? Number(lastValue(flags, 'poll-seconds')) : undefined;
    if (pollSeconds !== undefined && !(pollSeconds > 0)) throw new UsageError('--poll-seconds must be a number of seconds > 0');
    const { store, model } = await openModel(positional[0], flags, io);
    let listing;
    let cost;
    try {
      // Listing is a touch of the model: publishes that died midway are finished or rolled back first, and said so.
      // A repair that fails (e.g. read-only credentials) must not stop the listing; said after it, if it works.
      const repaired = await store.repair(model).catch((e) => [{ message: `could not repair interrupted publishes: ${describeStoreError(e)}` }]);
      listing = await listAllVersions(store, model);
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
