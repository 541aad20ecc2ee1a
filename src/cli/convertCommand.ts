// `tfserving-studio convert <versionDir> --to tflite|tensorrt …`: TFLite quantization or TF-TRT through a generated
// Python script, run locally or in Docker; the result becomes the next version (or --out), then a report.
import * as path from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';
import {
  DEFAULT_SIGNATURE_KEY, DEFAULT_TRT_MINIMUM_SEGMENT_SIZE, DEFAULT_TRT_WORKSPACE_BYTES, isTfliteQuantization, isTrtPrecision,
  parseByteSize, type ConversionOptions,
} from '../core/convert/conversionOptions';
import { ConversionError } from '../core/convert/conversionError';
import { nextVersion, prepareConversion, runConversion, type ConversionDestination } from '../core/convert/conversionJob';
import type { ConversionRunner } from '../core/convert/conversionRunner';
import { renderConversionReport } from '../core/convert/conversionReport';
import { reportConversionError, runnerFromFlags, samplesFromFlags, thresholdsFromFlags } from './conversionRunnerFlags';
import { renderConversionValidation, validationSummary } from '../core/convert/validationReportText';
import { LocalModelStore } from '../core/storage/localModelStore';

const valueFlags = ['to', 'quantize', 'precision', 'representative', 'runner', 'out', 'signature', 'python', 'image', 'max-workspace', 'min-segment-size',
  'samples', 'max-abs-diff', 'min-top1'];
const booleanFlags = ['select-tf-ops', 'dry-run', 'int8-io', 'keep-work', 'json', 'validate'];

export const convertCommand: CliCommand = {
  name: 'convert',
  usage: 'convert <versionDir> --to tflite|tensorrt [--quantize none|dynamic|float16|int8] [--precision FP32|FP16|INT8] ' +
    '[--representative FILE] [--select-tf-ops] [--int8-io] [--signature KEY] [--max-workspace 1GiB] [--min-segment-size 3] ' +
    '[--runner local|docker] [--python PATH] [--image IMAGE] [--out PATH] [--dry-run] [--json] ' +
    '[--validate [--samples N] [--max-abs-diff X] [--min-top1 PERCENT]]',
  summary: 'Convert a SavedModel version to TFLite (quantized) or TF-TRT; --dry-run prints the Python script (stdout) and the runner command (stderr).',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: valueFlags, booleans: booleanFlags, positional: [1, 1] });
    const get = (name: string) => flags.get(name)?.at(-1);
    const target = get('to');
    if (target !== 'tflite' && target !== 'tensorrt') { io.err('tfserving-studio convert: --to tflite or --to tensorrt is required.'); return 2; }
    const signatureKey = get('signature') ?? DEFAULT_SIGNATURE_KEY;
    let options: ConversionOptions;
    if (target === 'tflite') {
      for (const f of ['precision', 'max-workspace', 'min-segment-size']) if (flags.has(f)) { io.err(`tfserving-studio convert: --${f} is for --to tensorrt.`); return 2; }
      const quantize = get('quantize') ?? (flags.has('representative') ? 'int8' : 'dynamic');
      if (!isTfliteQuantization(quantize)) { io.err(`tfserving-studio convert: --quantize must be none, dynamic, float16 or int8, not "${quantize}".`); return 2; }
      options = {
        target, quantize, signatureKey, selectTfOps: flags.has('select-tf-ops'), integerOnlyIo: flags.has('int8-io'),
        ...(get('representative') ? { representativeDataset: path.resolve(io.cwd, get('representative')!) } : {}),
      };
    } else {
      for (const f of ['quantize', 'select-tf-ops', 'int8-io']) if (flags.has(f)) { io.err(`tfserving-studio convert: --${f} is for --to tflite.`); return 2; }
      const precision = (get('precision') ?? 'FP16').toUpperCase();
      if (!isTrtPrecision(precision)) { io.err(`tfserving-studio convert: --precision must be FP32, FP16 or INT8, not "${precision}".`); return 2; }
      options = {
        target, precision, signatureKey,
        maxWorkspaceBytes: get('max-workspace') ? parseByteSize(get('max-workspace')!) : DEFAULT_TRT_WORKSPACE_BYTES,
        minimumSegmentSize: get('min-segment-size') ? Number(get('min-segment-size')) : DEFAULT_TRT_MINIMUM_SEGMENT_SIZE,
        ...(get('representative') ? { calibrationInput: path.resolve(io.cwd, get('representative')!) } : {}),
      };
    }
    let runner: ConversionRunner;
    try {
      runner = runnerFromFlags(get, io, target);
    } catch (e) {
      io.err(`tfserving-studio convert: ${(e as Error).message}`);
      return 2;
    }

    const versionDir = path.resolve(io.cwd, positional[0]);
    const destination: ConversionDestination = get('out') ? { kind: 'path', path: path.resolve(io.cwd, get('out')!) } : { kind: 'next-version' };
    for (const f of ['samples', 'max-abs-diff', 'min-top1']) if (flags.has(f) && !flags.has('validate')) { io.err(`tfserving-studio convert: --${f} needs --validate.`); return 2; }
    if (flags.has('validate') && target !== 'tflite') { io.err('tfserving-studio convert: --validate compares TFLite results; TF-TRT needs a GPU to run.'); return 2; }
    let validate;
    try {
      validate = flags.has('validate') ? { samples: samplesFromFlags(get), thresholds: thresholdsFromFlags(get) } : undefined;
    } catch (e) {
      io.err(`tfserving-studio convert: ${(e as Error).message}`);
      return 2;
    }
    const request = { versionDir, options, runner, destination, keepWorkDir: flags.has('keep-work'), ...(validate ? { validate } : {}) };
    try {
      if (flags.has('dry-run')) {
        // The script writes straight where the result belongs, so it can be run by hand as printed.
        const outDir = destination.kind === 'path'
          ? (target === 'tflite' && destination.path.endsWith('.tflite') ? path.dirname(destination.path) : destination.path)
          : path.join(path.dirname(versionDir), String(await nextVersion(new LocalModelStore(), versionDir)));
        const prepared = await prepareConversion(request, { workDir: io.cwd, outputDir: outDir });
        io.out(prepared.script.replace(/\n$/, ''));
        io.err(prepared.commandLine);
        return 0;
      }
      const result = await runConversion({
        ...request,
        onStage: (_s, m) => io.err(`== ${m}`),
        onLine: (l) => io.err(l.text),
      });
      for (const w of result.warnings) io.err(`note: ${w}`);
      io.out(flags.has('json')
        ? JSON.stringify({ output: result.outputPath, version: result.publishedVersion, tensorflow: result.tensorflowVersion, report: result.report, validation: result.validation }, null, 2)
        : renderConversionReport(result.report, result.publishedVersion !== undefined ? `Published version ${result.publishedVersion}` : `Wrote ${result.outputPath}`) +
          (result.validation ? `\n\n${renderConversionValidation(result.validation)}` : ''));
      if (result.validation) io.err(validationSummary(result.validation));
      return result.validation && !(result.validation.ok && result.validation.report.passed) ? 1 : 0;
    } catch (e) {
      if (e instanceof ConversionError) return reportConversionError('convert', e, io);
      throw e;
    }
  },
};
