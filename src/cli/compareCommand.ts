// `tfserving-studio compare <savedModelDir> <model.tflite>`: runs both on the same inputs and reports what the
// conversion changed; exit 1 when a threshold is crossed.
import * as path from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';
import { ConversionError } from '../core/convert/conversionError';
import { runValidation } from '../core/convert/validationJob';
import { renderValidationReport } from '../core/convert/validationReportText';
import { reportConversionError, runnerFromFlags, runnerValueFlags, samplesFromFlags, thresholdsFromFlags, thresholdValueFlags } from './conversionRunnerFlags';

const valueFlags = [...runnerValueFlags, ...thresholdValueFlags, 'signature', 'seed'];
const booleanFlags = ['json'];

export const compareCommand: CliCommand = {
  name: 'compare',
  usage: 'compare <savedModelDir> <model.tflite|tfliteVersionDir> [--inputs FILE.npy|FILE.json] [--samples N] [--seed S] [--signature KEY] ' +
    '[--max-abs-diff X] [--min-top1 PERCENT] [--runner local|docker] [--python PATH] [--image IMAGE] [--json]',
  summary: 'Run a SavedModel and a TFLite model on the same inputs; per output max/mean abs difference, max relative error, top-1 agreement, sizes, latency. Exit 1 when flagged.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: valueFlags, booleans: booleanFlags, positional: [2, 2] });
    const get = (name: string) => flags.get(name)?.at(-1);
    try {
      const seed = get('seed') === undefined ? undefined : Number(get('seed'));
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new ConversionError('invalid-options', `--seed must be a whole number, not "${get('seed')}".`);
      const report = await runValidation({
        savedModelDir: path.resolve(io.cwd, positional[0]),
        tflite: path.resolve(io.cwd, positional[1]),
        runner: runnerFromFlags(get, io, 'tflite'),
        ...(get('signature') ? { signatureKey: get('signature') } : {}),
        ...(get('inputs') ? { inputsFile: path.resolve(io.cwd, get('inputs')!) } : {}),
        samples: samplesFromFlags(get),
        ...(seed === undefined ? {} : { seed }),
        thresholds: thresholdsFromFlags(get),
        onLine: (l) => { if (l.stream === 'stderr') io.err(l.text); },
      });
      io.out(flags.has('json') ? JSON.stringify(report, null, 2) : renderValidationReport(report));
      return report.passed ? 0 : 1;
    } catch (e) {
      if (e instanceof ConversionError) return reportConversionError('compare', e, io);
      throw e;
    }
  },
};
