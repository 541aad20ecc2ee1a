// One conversion from start to finish: check the model and options, write the script, run it, check the output
// with our decoders, then publish it as the next version of the same model (atomically, through the store) or copy
// it where the user asked; finally compare before and after.
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseVersionFolder } from '../model/versionRules';
import { inspectVersion, type SavedModelSummary } from '../model/modelInspector';
import { nextVersionNumber } from '../model/modelRepository';
import type { SignatureDef } from '../model/savedModelDecoder';
import { LocalModelStore } from '../storage/localModelStore';
import type { ModelStore } from '../storage/modelStore';
import { checkConversionOptions, sampleInputFile, type ConversionOptions } from './conversionOptions';
import { ConversionError } from './conversionError';
import { generateConversionScript } from './conversionScript';
import { resultOf, TFLITE_OUTPUT_NAME, type ConversionRunner, type HostPaths, type OutputLine } from './conversionRunner';
import { buildConversionReport, type ConversionReport } from './conversionReport';
import { loadSampleSet, type SampleSet } from './sampleInputs';
import { runValidation, type ValidationReport } from './validationJob';
import type { ValidationThresholds } from './validationMetrics';

export type ConversionDestination =
  | { readonly kind: 'next-version' }
  /** TFLite: a .tflite file path (or a folder, which gets model.tflite); TF-TRT: a folder for the SavedModel. */
  | { readonly kind: 'path'; readonly path: string };

export interface ConversionRequest {
  /** A local SavedModel version folder (…/<model>/<version>). */
  readonly versionDir: string;
  readonly options: ConversionOptions;
  readonly runner: ConversionRunner;
  readonly destination: ConversionDestination;
  /** Store holding the model (default: the local filesystem). */
  readonly store?: ModelStore;
  readonly onLine?: (line: OutputLine) => void;
  readonly onStage?: (stage: ConversionStage, message: string) => void;
  readonly signal?: AbortSignal;
  /** Keep the scratch folder (script, raw output) for inspection. */
  readonly keepWorkDir?: boolean;
  /**
   * TFLite: afterwards, run the SavedModel and the result on the same inputs (the representative dataset, else
   * `samples` seeded examples) in the same runner and compare them.
   */
  readonly validate?: { readonly samples?: number; readonly thresholds?: Partial<ValidationThresholds> };
}

export type ConversionStage = 'validate' | 'preflight' | 'run' | 'check' | 'publish' | 'report' | 'compare';

/** The comparison after a conversion, or why it could not run (the conversion itself still succeeded). */
export type ConversionValidation = { readonly ok: true; readonly report: ValidationReport } | { readonly ok: false; readonly message: string; readonly hint?: string };

export interface PreparedConversion {
  readonly script: string;
  readonly commandLine: string;
  readonly warnings: string[];
  readonly signature: SignatureDef;
  readonly samples?: SampleSet;
  readonly paths: HostPaths;
}

export interface ConversionResult extends PreparedConversion {
  readonly tensorflowVersion?: string;
  /** Where the result went: the published version folder, or the chosen path. */
  readonly outputPath: string;
  readonly publishedVersion?: number;
  readonly report: ConversionReport;
  readonly validation?: ConversionValidation;
}

/** Checks the model, the options and the sample inputs; writes nothing but the scratch folder. */
export async function prepareConversion(request: ConversionRequest, at: { workDir?: string; outputDir?: string } = {}): Promise<PreparedConversion> {
  const { options, versionDir } = request;
  const warnings = checkConversionOptions(options);
  let summary;
  try {
    summary = await inspectVersion(versionDir);
  } catch (e) {
    throw new ConversionError('not-a-savedmodel', `${versionDir} cannot be read as a model: ${(e as Error).message}`);
  }
  if (summary.format === 'tflite') {
    throw new ConversionError('not-a-savedmodel', `${versionDir} is already a TFLite model.`, 'Convert the SavedModel version it came from.');
  }
  const meta = (summary as SavedModelSummary).servingMetaGraph;
  if (!meta) throw new ConversionError('not-a-savedmodel', `${versionDir} has no {serve} meta graph, which both converters load.`);
  const signature = meta.signatures.find((s) => s.key === options.signatureKey);
  if (!signature) {
    throw new ConversionError('invalid-options', `The SavedModel has no signature "${options.signatureKey}".`,
      `Its signatures are ${meta.signatures.map((s) => s.key).join(', ') || 'none'}.`);
  }
  const sampleFile = sampleInputFile(options);
  const samples = sampleFile ? await loadSampleSet(path.resolve(sampleFile), signature) : undefined;
  const work = at.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tfss-convert-')));
  const paths: HostPaths = {
    savedModelDir: path.resolve(versionDir),
    outputDir: at.outputDir ?? path.join(work, 'output'),
    workDir: work,
    ...(samples ? { samplesFile: samples.file } : {}),
  };
  const script = generateConversionScript(options, {
    paths: request.runner.scriptPaths(paths, options.target),
    samples,
    modelLabel: path.resolve(versionDir),
  });
  return { script, commandLine: request.runner.commandLine(paths, options.target), warnings, signature, samples, paths };
}

/** Runs the whole conversion. Throws ConversionError; nothing is published unless the output decodes. */
export async function runConversion(request: ConversionRequest): Promise<ConversionResult> {
  const stage = (s: ConversionStage, m: string) => request.onStage?.(s, m);
  const cancelled = () => new ConversionError('cancelled', 'The conversion was cancelled; nothing was published.');
  stage('validate', 'Checking the model, options and sample inputs');
  const prepared = await prepareConversion(request);
  const { options } = request;
  try {
    if (request.signal?.aborted) throw cancelled();
    stage('preflight', request.runner.kind === 'local' ? 'Checking Python and TensorFlow' : 'Checking Docker and the image');
    await request.runner.preflight(options.target, request.signal);
    await mkdir(prepared.paths.outputDir, { recursive: true });
    stage('run', prepared.commandLine);
    const outcome = await request.runner.run({ target: options.target, script: prepared.script, paths: prepared.paths, onLine: request.onLine, signal: request.signal });
    if (request.signal?.aborted) throw cancelled();
    const result = resultOf(outcome);

    stage('check', 'Decoding the converted model');
    const produced = options.target === 'tflite' ? path.join(prepared.paths.outputDir, TFLITE_OUTPUT_NAME) : prepared.paths.outputDir;
    const producedSt = await stat(produced).catch(() => undefined);
    if (!producedSt) throw new ConversionError('no-output', `The script reported ${result.output}, but ${produced} does not exist.`);
    const decoded = await inspectVersion(prepared.paths.outputDir).catch((e: Error) => {
      throw new ConversionError('no-output', `The converted model does not decode: ${e.message}`);
    });
    if ((options.target === 'tflite') !== (decoded.format === 'tflite')) {
      throw new ConversionError('no-output', `The output is a ${decoded.format} model, not what a ${options.target} conversion makes.`);
    }

    stage('publish', request.destination.kind === 'next-version' ? 'Publishing as the next version' : `Writing ${request.destination.path}`);
    let outputPath: string;
    let publishedVersion: number | undefined;
    if (request.destination.kind === 'next-version') {
      const store = request.store ?? new LocalModelStore();
      const versionDir = path.resolve(request.versionDir);
      if (parseVersionFolder(path.basename(versionDir)) === undefined) {
        throw new ConversionError('invalid-options', `${versionDir} is not a numbered version folder, so there is no "next version".`, 'Pass --out PATH.');
      }
      const modelLoc = { scheme: 'file' as const, bucket: '', path: path.dirname(versionDir) };
      const next = await nextVersion(store, versionDir);
      // A .tflite file publishes as model.tflite alone in the version folder, as TF Serving expects.
      const published = await store.publish(produced, modelLoc, next, { signal: request.signal });
      outputPath = published.location.path;
      publishedVersion = published.version;
    } else {
      outputPath = path.resolve(request.destination.path);
      if (options.target === 'tflite') {
        const isDir = (await stat(outputPath).catch(() => undefined))?.isDirectory() ?? false;
        if (isDir || !outputPath.endsWith('.tflite')) outputPath = path.join(outputPath, TFLITE_OUTPUT_NAME);
        await mkdir(path.dirname(outputPath), { recursive: true });
        await cp(produced, outputPath, { errorOnExist: true, force: false });
      } else {
        await cp(produced, outputPath, { recursive: true, errorOnExist: true, force: false });
      }
    }

    stage('report', 'Comparing before and after');
    const report = await buildConversionReport(path.resolve(request.versionDir), outputPath, [request.versionDir, outputPath]);
    let validation: ConversionValidation | undefined;
    if (request.validate && options.target === 'tflite') {
      stage('compare', 'Running both models on the same inputs');
      validation = await runValidation({
        savedModelDir: request.versionDir, tflite: outputPath, runner: request.runner, signatureKey: options.signatureKey,
        ...(options.representativeDataset ? { inputsFile: options.representativeDataset } : { samples: request.validate.samples }),
        thresholds: request.validate.thresholds, onLine: request.onLine, signal: request.signal,
      // The version is published by now: a failed or cancelled comparison is reported, never undone.
      }).then((r): ConversionValidation => ({ ok: true, report: r }), (e: unknown): ConversionValidation =>
        ({ ok: false, message: (e as Error).message, ...(e instanceof ConversionError && e.hint ? { hint: e.hint } : {}) }));
    }
    return { ...prepared, tensorflowVersion: result.tensorflowVersion, outputPath, publishedVersion, report, ...(validation ? { validation } : {}) };
  } finally {
    if (!request.keepWorkDir) await rm(prepared.paths.workDir, { recursive: true, force: true });
  }
}

/** The version number after the highest one beside versionDir. */
export async function nextVersion(store: ModelStore, versionDir: string): Promise<number> {
  const modelLoc = { scheme: 'file' as const, bucket: '', path: path.dirname(path.resolve(versionDir)) };
  return nextVersionNumber(store, modelLoc);
}
