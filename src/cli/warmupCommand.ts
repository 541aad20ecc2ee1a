// `tfserving-studio warmup <versionDir|uri>`: builds Predict requests for a SavedModel signature and writes them as
// the version's assets.extra/tf_serving_warmup_requests (a bucket version becomes a new version with the file).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { lastValue, parseArgs, UsageError } from './cliArgs';
import { describeStoreError, openModel, STORE_FLAGS, STORE_FLAGS_USAGE } from './storeFlags';
import { formatBytes } from '../core/format';
import { formatLocation } from '../core/location';
import { addWarmupToVersion } from '../core/warmup/addWarmup';
import { warmupFileBytes } from '../core/warmup/versionWarmup';
import { WARMUP_FILE } from '../core/warmup/warmupFile';
import { buildWarmupRequests, WarmupError } from '../core/warmup/warmupRequests';
import { readWarmupTarget } from '../core/warmup/warmupTarget';

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a whole number, not "${text}"`);
  return Number(text);
}

export const warmupCommand: CliCommand = {
  name: 'warmup',
  usage: `warmup <versionDir|uri> [--inputs FILE.json|FILE.npy] [--records N] [--batch-size B] [--seed S] [--signature KEY] [--out FILE] [--force] ${STORE_FLAGS_USAGE}`,
  summary: `Write Predict requests as the version's ${WARMUP_FILE} (at most 1,000); a bucket version is published again as a new version with the file.`,
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: ['inputs', 'records', 'batch-size', 'seed', 'signature', 'out', ...STORE_FLAGS.values], booleans: ['force', ...STORE_FLAGS.booleans], positional: [1, 1] });
    const records = wholeNumber(lastValue(flags, 'records'), 'records');
    const batchSize = wholeNumber(lastValue(flags, 'batch-size'), 'batch-size');
    const seed = wholeNumber(lastValue(flags, 'seed'), 'seed');
    const inputsFile = lastValue(flags, 'inputs');
    const out = lastValue(flags, 'out');
    const { store, model: version } = await openModel(positional[0], flags, io);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const target = await readWarmupTarget(store, version, lastValue(flags, 'signature'));
      const requests = await buildWarmupRequests({
        modelName: target.modelName,
        signature: target.signature,
        inputs: inputsFile ? { kind: 'file', file: resolve(io.cwd, inputsFile) } : { kind: 'generated', ...(seed === undefined ? {} : { seed }) },
        ...(batchSize === undefined ? {} : { batchSize }),
        ...(records === undefined ? {} : { records }),
      });
      const bytes = await warmupFileBytes(requests);
      const what = `${requests.length} predict request${requests.length === 1 ? '' : 's'} for signature "${target.signature.key}" (${formatBytes(bytes.length)})`;
      if (out) {
        const file = resolve(io.cwd, out);
        await writeFile(file, bytes);
        io.out(`Wrote ${what} to ${file}.`);
        return 0;
      }
      const added = await addWarmupToVersion(store, version, bytes, { replace: flags.has('force'), signal: controller.signal });
      if (added.placement === 'in-place') {
        io.out(`${added.replaced ? 'Replaced' : 'Wrote'} ${added.file}: ${what}. TF Serving runs them when it next loads this version.`);
      } else {
        for (const note of added.published.notes ?? []) io.err(`note: ${note}`);
        io.out(`Published version ${added.published.version} to ${formatLocation(added.published.location)}: version ${added.from} plus ${WARMUP_FILE} with ${what}. A server that already loaded version ${added.from} does not re-read it; it warms up version ${added.published.version} when it loads it.`);
      }
      return 0;
    } catch (e) {
      if (e instanceof WarmupError) {
        io.err(`tfserving-studio warmup: ${e.message}`);
        if (e.hint) io.err(`  ${e.hint}`);
        return 2;
      }
      throw new Error(describeStoreError(e));
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
