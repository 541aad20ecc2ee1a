// `tfserving-studio repair <modelUri> [--version N] [--resume | --roll-back]`: finishes or rolls back the publishes of
// a model that died midway (kill -9, lost network), and removes what dead publishes left in staging. Without a flag
// each dead publish is finished when every byte is in, else rolled back; a publish still live elsewhere is left alone.
import type { CliCommand } from './cliIo';
import { lastValue, parseArgs, UsageError } from './cliArgs';
import { formatLocation } from '../core/location';
import { parseVersionNumber } from '../core/names';
import type { RepairAction } from '../core/storage/modelStore';
import { describeStoreError, openModel, STORE_FLAGS, STORE_FLAGS_USAGE } from './storeFlags';

export const repairCommand: CliCommand = {
  name: 'repair',
  usage: `repair <modelUri> [--version N] [--resume | --roll-back] ${STORE_FLAGS_USAGE}`,
  summary: 'Finish or roll back publishes of a model that were cut off, and remove their leftovers.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, {
      values: ['version', ...STORE_FLAGS.values], booleans: ['resume', 'roll-back', ...STORE_FLAGS.booleans], positional: [1, 1],
    });
    if (flags.has('resume') && flags.has('roll-back')) throw new UsageError('Pick one of --resume and --roll-back.');
    const action: RepairAction = flags.has('resume') ? 'resume' : flags.has('roll-back') ? 'rollBack' : 'auto';
    const versionText = lastValue(flags, 'version');
    const version = versionText !== undefined ? parseVersionNumber(versionText, '--version') : undefined;
    if (action !== 'auto' && version === undefined) throw new UsageError('--resume and --roll-back need --version N: say which publish.');
    const { store, model } = await openModel(positional[0], flags, io);
    try {
      const outcomes = await store.repair(model, { version, action });
      if (!outcomes.length) io.out(`${formatLocation(model)}: no interrupted publish${version !== undefined ? ` of version ${version}` : ''}; nothing to repair.`);
      for (const o of outcomes) io.out(o.message);
      return 0;
    } catch (e) {
      throw new Error(describeStoreError(e));
    }
  },
};
