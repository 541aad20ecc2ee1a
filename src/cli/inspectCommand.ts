// `tfserving-studio inspect <versionDir> [--json] [--tags serve,gpu]`: what is inside a model version, without Python.
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';
import { inspectVersion } from '../core/model/modelInspector';
import { renderModelDetailsReport } from '../core/model/modelDetailsReport';
import { requireMetaGraph } from '../core/model/savedModelDecoder';
import { signatureDefMapJson } from '../core/model/signatureDefJson';
import { tfliteModelJson } from '../core/model/tfliteJson';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  usage: 'inspect <versionDir> [--json] [--tags serve[,gpu]]',
  summary: 'Show a model version\'s signatures (SavedModel or TFLite); --json prints TF Serving\'s metadata signature_def.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: ['tags'], booleans: ['json'], positional: [1, 1] });
    const dir = resolve(io.cwd, positional[0]);
    const summary = await inspectVersion(dir);
    if (!flags.has('json')) {
      io.out(renderModelDetailsReport(summary, positional[0]));
      return 0;
    }
    if (summary.format === 'tflite') {
      io.out(JSON.stringify(tfliteModelJson(summary.tflite), null, 2));
      return 0;
    }
    const tags = (flags.get('tags')?.at(-1) ?? 'serve').split(',').map((t) => t.trim()).filter(Boolean);
    io.out(JSON.stringify(signatureDefMapJson(requireMetaGraph(summary.savedModel, tags)), null, 2));
    return 0;
  },
};
