// `tfserving-studio publish <dir|file.tflite> <modelUri> [--version N]`: safe publish of a new version (hidden until
// complete, graph file last); Ctrl-C cancels and cleans up so no half-written version is left.
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { parseFlags } from './cliIo';
import { formatLocation } from '../core/location';
import { formatBytes } from '../core/format';
import { describeStoreError, listAllVersions, openModel, STORE_FLAGS, STORE_FLAGS_USAGE, unknownFlag } from './versionsCommand';

export const publishCommand: CliCommand = {
  name: 'publish',
  usage: `publish <dir|file.tflite> <modelUri> [--version N] ${STORE_FLAGS_USAGE}`,
  summary: 'Publish a SavedModel folder or .tflite file as a new version (default: latest + 1), never half-written.',
  async run(args, io) {
    const { positional, flags } = parseFlags(args, ['path-style']);
    if (positional.length !== 2) {
      io.err(`Usage: tfserving-studio ${this.usage}`);
      return 2;
    }
    const bad = unknownFlag(flags, ['version', ...STORE_FLAGS]);
    if (bad) {
      io.err(`tfserving-studio publish: unknown option --${bad}`);
      return 2;
    }
    const source = resolve(io.cwd, positional[0]);
    const { store, model } = await openModel(positional[1], flags, io);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      let version: number;
      const named = flags.has('version');
      if (named) {
        const text = flags.get('version')!.at(-1)!;
        if (!/^\d+$/.test(text)) throw new Error(`--version must be a whole number, not "${text}".`);
        version = Number(text);
      } else {
        // A local model folder that does not exist yet gets version 1 (publish creates the folder).
        const missing = (e: unknown) => model.scheme === 'file' && (e as { code?: string }).code === 'ENOENT';
        const { versions } = await listAllVersions(store, model, false).catch((e) => { if (missing(e)) return { versions: [] }; throw e; });
        version = (versions.at(-1)?.version ?? 0) + 1;
      }
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
