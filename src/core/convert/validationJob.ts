// Validate a conversion: run the SavedModel and the TFLite model on the same inputs in the same TensorFlow
// environment the conversion used (a ConversionRunner: local Python or Docker), then compare every output.
// Inputs: a .npy / TF Serving JSON rows file, or N seeded examples generated from the signature.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectVersion, type SavedModelSummary } from '../model/modelInspector';
import type { SignatureDef } from '../model/savedModelDecoder';
import { ConversionError } from './conversionError';
import type { ConversionRunner, HostPaths, OutputLine, ScriptEvent } from './conversionRunner';
import { folderBytes } from './conversionReport';
import { examplesAsRows, GENERATED_INPUTS_RULE, generateExamples, generatedInputsFor } from './generatedInputs';
import { loadSampleSet } from './sampleInputs';
import { compareOutputs, DEFAULT_VALIDATION_THRESHOLDS, median, type OutputComparison, type OutputValues, type ValidationThresholds } from './validationMetrics';
import { generateValidationScript, VALIDATION_SCRIPT_NAME } from './validationScript';

export const DEFAULT_VALIDATION_SAMPLES = 32;

export interface ValidationRequest {
  readonly savedModelDir: string;
  /** A .tflite file, or a version folder holding model.tflite. */
  readonly tflite: string;
  readonly runner: ConversionRunner;
  readonly signatureKey?: string;
  /** .npy or TF Serving JSON rows; otherwise `samples` generated examples. */
  readonly inputsFile?: string;
  readonly samples?: number;
  readonly seed?: number;
  readonly thresholds?: Partial<ValidationThresholds>;
  readonly onLine?: (line: OutputLine) => void;
  readonly signal?: AbortSignal;
}

export interface ValidationReport {
  readonly savedModelDir: string;
  readonly tfliteFile: string;
  readonly signatureKey: string;
  readonly tensorflowVersion?: string;
  /** Where the inputs came from, in words. */
  readonly inputs: string;
  readonly samples: number;
  readonly outputs: OutputComparison[];
  readonly savedModelBytes: number;
  readonly tfliteBytes: number;
  readonly savedModelMedianMs: number;
  readonly tfliteMedianMs: number;
  readonly thresholds: ValidationThresholds;
  /** Plain-words problems; empty when the conversion passed. */
  readonly flags: string[];
  readonly passed: boolean;
}

async function resolveTflite(p: string): Promise<string> {
  const st = await stat(p).catch(() => undefined);
  if (!st) throw new ConversionError('validation-failed', `${p} does not exist.`);
  return st.isDirectory() ? path.join(p, 'model.tflite') : p;
}

function servingSignature(summary: SavedModelSummary, dir: string, key: string): SignatureDef {
  const sig = summary.servingMetaGraph?.signatures.find((s) => s.key === key);
  if (!sig) {
    const keys = summary.servingMetaGraph?.signatures.map((s) => s.key).filter((k) => !k.startsWith('__')) ?? [];
    throw new ConversionError('validation-failed', `${dir} has no signature "${key}".`, `Its signatures are ${keys.join(', ') || 'none'}.`);
  }
  return sig;
}

export async function runValidation(request: ValidationRequest): Promise<ValidationReport> {
  const signatureKey = request.signatureKey ?? 'serving_default';
  const thresholds = { ...DEFAULT_VALIDATION_THRESHOLDS, ...request.thresholds };
  const savedModelDir = path.resolve(request.savedModelDir);
  const tfliteFile = path.resolve(await resolveTflite(request.tflite));
  const summary = await inspectVersion(savedModelDir).catch((e: Error) => {
    throw new ConversionError('not-a-savedmodel', `${savedModelDir} cannot be read as a SavedModel: ${e.message}`);
  });
  if (summary.format === 'tflite') throw new ConversionError('not-a-savedmodel', `${savedModelDir} is a TFLite model; compare needs the SavedModel first.`);
  const signature = servingSignature(summary as SavedModelSummary, savedModelDir, signatureKey);
  const count = request.samples ?? DEFAULT_VALIDATION_SAMPLES;
  if (!Number.isSafeInteger(count) || count < 1 || count > 100_000) {
    throw new ConversionError('invalid-options', `--samples must be a whole number from 1 to 100000, not ${count}.`);
  }
  const seed = request.seed ?? 0;
  const generated = request.inputsFile ? undefined : generatedInputsFor(signature);
  const work = await mkdtemp(path.join(os.tmpdir(), 'tfss-validate-'));
  try {
    // Generated inputs are written as rows and read back by the same reader (and Python) as a file of the user's.
    const inputsFile = request.inputsFile ? path.resolve(request.inputsFile) : path.join(work, 'generated-inputs.json');
    if (generated) await writeFile(inputsFile, examplesAsRows(generateExamples(generated, count, seed)));
    const samples = await loadSampleSet(inputsFile, signature, 'validation');
    const paths: HostPaths = {
      savedModelDir, outputDir: path.join(work, 'outputs'), workDir: work, tfliteFile, scriptName: VALIDATION_SCRIPT_NAME, samplesFile: samples.file,
    };
    await mkdir(paths.outputDir, { recursive: true });
    const scriptPaths = request.runner.scriptPaths(paths, 'tflite');
    const script = generateValidationScript({
      paths: { savedModelDir: scriptPaths.savedModelDir, tfliteFile: scriptPaths.tfliteFile!, outputDir: scriptPaths.outputDir!, samplesFile: scriptPaths.samplesFile! },
      signatureKey,
      samples,
    });
    await request.runner.preflight('tflite', request.signal);
    const outcome = await request.runner.run({ target: 'tflite', script, paths, onLine: request.onLine, signal: request.signal });
    if (request.signal?.aborted) throw new ConversionError('cancelled', 'The validation was cancelled.');
    const error = outcome.events.find((e) => e.event === 'error');
    if (error) throw new ConversionError('validation-failed', String(error.message ?? 'The validation failed.'), error.hint ? String(error.hint) : undefined);
    const result = outcome.events.find((e) => e.event === 'result');
    if (!result || outcome.exitCode !== 0) {
      throw new ConversionError('runner-failed', `The validation script ended with exit code ${outcome.exitCode}:\n${outcome.tail.slice(-5).join('\n')}`);
    }
    const reference = await readSide(result, 'savedmodel', paths.outputDir);
    const candidate = await readSide(result, 'tflite', paths.outputDir);
    const compared = compareOutputs(reference, candidate, thresholds);
    const times = (result.times_ms ?? {}) as Record<string, number[]>;
    const flags = [...compared.flags];
    const tensorflowVersion = outcome.events.find((e) => e.event === 'tensorflow')?.version;
    return {
      savedModelDir, tfliteFile, signatureKey,
      ...(tensorflowVersion === undefined ? {} : { tensorflowVersion: String(tensorflowVersion) }),
      inputs: generated ? `${count} generated example(s), seed ${seed} (${GENERATED_INPUTS_RULE})` : `${samples.count} example(s) from ${samples.file}`,
      samples: Number(result.samples),
      outputs: compared.outputs,
      savedModelBytes: await folderBytes(savedModelDir),
      tfliteBytes: (await stat(tfliteFile)).size,
      savedModelMedianMs: median(times.savedmodel ?? []),
      tfliteMedianMs: median(times.tflite ?? []),
      thresholds,
      flags,
      passed: flags.length === 0,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface WrittenOutput { shape: number[]; dtype: string; numeric: boolean; file?: string }

async function readSide(result: ScriptEvent, side: 'savedmodel' | 'tflite', dir: string): Promise<Map<string, OutputValues>> {
  const written = ((result.outputs as Record<string, Record<string, WrittenOutput>> | undefined) ?? {})[side] ?? {};
  const out = new Map<string, OutputValues>();
  for (const [name, w] of Object.entries(written)) {
    if (!w.file) continue; // strings and ragged outputs are not compared numerically
    const bytes = await readFile(path.join(dir, w.file));
    const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    out.set(name, { shape: w.shape, values });
  }
  return out;
}
