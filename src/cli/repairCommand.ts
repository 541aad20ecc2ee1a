// `tfserving-studio repair <modelUri> [--version N] [--resume | --roll-back]`: finishes or rolls back the publishes of
// a model that died midway (kill -9, lost network), and removes what dead publishes left in staging. Without a flag
// each dead publish is finished when every byte is in, else rolled back; a publish still live elsewhere is left alone.
import type { CliCommand } from './cliIo';
import { parseFlags } from './cliIo';
import { formatLocation } from '../core/location';
import type { RepairAction } from '../core/storage/modelStore';
import { describeStoreError, openModel, STORE_FLAGS, STORE_FLAGS_USAGE, unknownFlag } from './versionsCommand';

export const repairCommand: CliCommand = {
  name: 'repair',
  usage: `repair <modelUri> [--version N] [--resume | --roll-back] ${STORE_FLAGS_USAGE}`,
  summary: 'Finish or roll back publishes of a model that were cut off, and remove their leftovers.',
  async run(args, io) {
    const { positional, flags } = parseFlags(args, ['path-style', 'resume', 'roll-back']);
    if (positional.length !== 1) {
      io.err(`Usage: tfserving-studio ${this.usage}`);
      return 2;
    }
    const bad = unknownFlag(flags, ['version', 'resume', 'roll-back', ...STORE_FLAGS]);
    if (bad) {
      io.err(`tfserving-studio repair: unknown option --${bad}`);
      return 2;
    }
    if (flags.has('resume') && flags.has('roll-back')) throw new Error('Pick one of --resume and --roll-back.');
    const action: RepairAction = flags.has('resume') ? 'resume' : flags.has('roll-back') ? 'rollBack' : 'auto';
    let version: number | undefined;
    if (flags.has('version')) {
      const text = flags.get('version')!.at(-1)!;
      if (!/^\d+$/.test(text)) throw new Error(`--version must be a whole number, not "${text}".`);
      version = Number(text);
    }
    if (action !== 'auto' && version === undefined) throw new Error('--resume and --roll-back need --version N: say which publish.');
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
