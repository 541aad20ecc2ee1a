// `tfserving-studio inspect <versionDir|modelFile> [--json] [--tags serve,gpu]`: what is inside a model version,
// without Python. The exit code is the same with and without --json: 1 when TF Serving could not load the tags, or
// its warmup file would fail the load.
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { lastValue, parseArgs } from './cliArgs';
import { inspectPath } from '../core/model/modelInspector';
import { renderModelDetailsReport } from '../core/model/modelDetailsReport';
import { requireMetaGraph } from '../core/model/savedModelDecoder';
import { signatureDefMapJson } from '../core/model/signatureDefJson';
import { tfliteModelJson } from '../core/model/tfliteJson';
import { warmupLoadFailureText, warmupSummary } from '../core/warmup/warmupCheck';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  usage: 'inspect <versionDir|saved_model.pb|model.tflite> [--json] [--tags serve[,gpu]]',
  summary: 'Show a model version\'s signatures (SavedModel or TFLite); --json prints TF Serving\'s metadata signature_def.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: ['tags'], booleans: ['json'], positional: [1, 1] });
    const summary = await inspectPath(resolve(io.cwd, positional[0]));
    for (const w of summary.warnings) io.err(`warning: ${w}`);
    // The warmup file's verdict goes to stderr like the warnings, so --json stays TF Serving's metadata.
    if (summary.warmup) {
      io.err(warmupSummary(summary.warmup.check));
      for (const p of summary.warmup.check.problems) io.err(`${p.severity}: ${summary.warmup.file}: ${p.message}`);
      if (summary.warmup.check.loadFailure) io.err(`error: TF Serving fails the load: ${warmupLoadFailureText(summary.warmup.check.loadFailure)}`);
    }
    const tags = (lastValue(flags, 'tags') ?? 'serve').split(',').map((t) => t.trim()).filter(Boolean);
    // Decided before printing, so both outputs agree on success: the meta graph TF Serving would load must exist.
    const metaGraph = summary.format === 'tflite' ? undefined : requireMetaGraph(summary.savedModel, tags);
    if (!flags.has('json')) io.out(renderModelDetailsReport(summary, positional[0]));
    else io.out(JSON.stringify(metaGraph ? signatureDefMapJson(metaGraph) : summary.format === 'tflite' ? tfliteModelJson(summary.tflite) : {}, null, 2));
    return summary.warmup?.check.loadFailure ? 1 : 0;
  },
};
