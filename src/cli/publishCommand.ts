// `tfserving-studio publish <dir|file.tflite> <modelUri> [--version N]`: safe publish of a new version (hidden until
// complete, graph file last); Ctrl-C cancels and cleans up so no half-written version is left.
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { lastValue, parseArgs, UsageError } from './cliArgs';
import { formatLocation } from '../core/location';
import { formatBytes } from '../core/format';
import { parseVersionNumber } from '../core/names';
import { nextVersionNumber } from '../core/model/modelRepository';
import { describeStoreError, openModel, STORE_FLAGS, STORE_FLAGS_USAGE } from './storeFlags';

export const publishCommand: CliCommand = {
  name: 'publish',
  usage: `publish <dir|file.tflite> <modelUri> [--version N] ${STORE_FLAGS_USAGE}`,
  summary: 'Publish a SavedModel folder or .tflite file as a new version (default: latest + 1), never half-written.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: ['version', ...STORE_FLAGS.values], booleans: STORE_FLAGS.booleans, positional: [2, 2] });
    const versionText = lastValue(flags, 'version');
    if (versionText !== undefined && !/^\d+$/.test(versionText)) throw new UsageError(`--version must be a whole number, not "${versionText}"`);
    const source = resolve(io.cwd, positional[0]);
    const { store, model } = await openModel(positional[1], flags, io);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const named = versionText !== undefined;
      // A local model folder that does not exist yet gets version 1 (publish creates the folder).
      const missing = (e: unknown) => model.scheme === 'file' && (e as { code?: string }).code === 'ENOENT';
      const version = named ? parseVersionNumber(versionText, '--version')
        : await nextVersionNumber(store, model).catch((e) => { if (missing(e)) return 1; throw e; });
      // A defaulted number that another publish claims first moves on to the next; a named one stops.
      const result = await store.publish(source, model, version, { signal: controller.signal, nextFreeIfTaken: !named });
      for (const note of result.notes ?? []) io.err(`note: ${note}`);
      io.out(`Published version ${result.version} to ${formatLocation(result.location)} (${result.files} files, ${formatBytes(result.bytes)}).`);
      return 0;
    } catch (e) {
      throw new Error(describeStoreError(e));
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
