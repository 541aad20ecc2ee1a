// `tfserving-studio model-config <name> <basePath> --versions 1,2 --label stable=1 …`: prints the model config list.
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';

const USAGE = 'model-config <name> <basePath> [--versions 1,2] [--label stable=1]… [--allow-unavailable]';

export const modelConfigCommand: CliCommand = {
  name: 'model-config',
  usage: USAGE,
  summary: 'Print a --model_config_file serving given versions with version labels (A/B, canary).',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: ['versions', 'label'], booleans: ['allow-unavailable'], positional: [2, 2] });
    const { checkLabelState, parseLabelAssignment } = await import('../core/serving/versionLabels');
    const { modelServerConfigText } = await import('../core/configs/modelServerConfig');
    const { parseVersionList } = await import('../core/names');
    const [name, basePath] = positional;
    const labels = Object.fromEntries((flags.get('label') ?? []).map(parseLabelAssignment));
    const versionsText = flags.get('versions')?.at(-1);
    const versions = versionsText === undefined ? undefined : parseVersionList(versionsText);
    if (versions) checkLabelState({ versions, labels }, flags.has('allow-unavailable'));
    else if (Object.keys(labels).length) throw new Error('Labels need --versions: TF Serving only labels versions it serves.');
    io.out(modelServerConfigText([{ name, basePath, versionPolicy: versions ? { kind: 'specific', versions } : undefined, versionLabels: labels }]).replace(/\n$/, ''));
    return 0;
  },
};
