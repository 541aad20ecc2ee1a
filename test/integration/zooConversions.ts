// Conversions of zoo models through the real local runner and real TensorFlow, each run at most once per mocha
// process and shared by the suites that check them (conversions, decoder oracle, validation).
import * as path from 'path';
import type { ConversionOptions } from '../../src/core/convert/conversionOptions';
import { runConversion, type ConversionResult } from '../../src/core/convert/conversionJob';
import { LocalPythonRunner } from '../../src/core/convert/localPythonRunner';
import { REPO, runPython, tensorflowEnv, tensorflowZoo, venvPython, zooRepository, type ZooModel } from './tensorflowZoo';

export type ZooConversion = 'classifier-dynamic' | 'classifier-float16' | 'classifier-int8' | 'classifier-int8-io' | 'cnn-int8' | 'text-select' | 'two_sigs-lookup' | 'erf-select';

const plans: Record<ZooConversion, { model: ZooModel; options: (samples: (m: 'classifier' | 'cnn' | 'text') => string) => ConversionOptions }> = {
  'classifier-dynamic': { model: 'classifier', options: () => tflite({ quantize: 'dynamic' }) },
  'classifier-float16': { model: 'classifier', options: () => tflite({ quantize: 'float16' }) },
  'classifier-int8': { model: 'classifier', options: (s) => tflite({ quantize: 'int8', representativeDataset: s('classifier') }) },
  'classifier-int8-io': { model: 'classifier', options: (s) => tflite({ quantize: 'int8', representativeDataset: s('classifier'), integerOnlyIo: true }) },
  'cnn-int8': { model: 'cnn', options: (s) => tflite({ quantize: 'int8', representativeDataset: s('cnn') }) },
  'text-select': { model: 'text', options: () => tflite({ quantize: 'none', selectTfOps: true }) },
  'two_sigs-lookup': { model: 'two_sigs', options: () => tflite({ quantize: 'none', signatureKey: 'lookup' }) },
  'erf-select': { model: 'erf', options: () => tflite({ quantize: 'dynamic', selectTfOps: true }) },
};

export function tflite(o: Record<string, unknown>): ConversionOptions {
  return { target: 'tflite', quantize: 'dynamic', signatureKey: 'serving_default', selectTfOps: false, ...o } as ConversionOptions;
}

let sharedRunner: LocalPythonRunner | undefined;
/** One runner for the whole run, so TensorFlow's import is checked once. */
export function venvRunner(): LocalPythonRunner {
  sharedRunner ??= new LocalPythonRunner({ python: venvPython(), env: tensorflowEnv(), killGraceMs: 2000 });
  return sharedRunner;
}

export interface ZooConversionResult {
  readonly result: ConversionResult;
  readonly sourceDir: string;
  readonly modelDir: string;
  readonly tfliteFile: string;
  readonly seconds: number;
}

const done = new Map<ZooConversion, Promise<ZooConversionResult>>();
const cleanups: (() => void)[] = [];

/** Converts once; the result is published as version 2 of a scratch copy of the model. */
export function zooConversion(name: ZooConversion): Promise<ZooConversionResult> {
  let p = done.get(name);
  if (!p) {
    p = (async () => {
      const zoo = await tensorflowZoo();
      const plan = plans[name];
      const repo = zooRepository(zoo, plan.model);
      cleanups.push(repo.cleanup);
      const started = Date.now();
      const result = await runConversion({ versionDir: repo.versionDir, options: plan.options((m) => zoo.samples(m)), runner: venvRunner(), destination: { kind: 'next-version' } });
      return { result, sourceDir: repo.versionDir, modelDir: repo.modelDir, tfliteFile: path.join(result.outputPath, 'model.tflite'), seconds: (Date.now() - started) / 1000 };
    })();
    done.set(name, p);
  }
  return p;
}

// The suites share the conversions, so the scratch repositories go when the test process ends.
process.once('exit', () => { for (const c of cleanups.splice(0)) c(); });

export type RequestAnswer = { outputs: Record<string, { shape: number[]; dtype: string; finite: boolean }> } | { error: string };

/** One request through each file in LiteRT's interpreter (test/fixtures/zoo/answer_request.py), one process. */
export async function answerRequests(files: string[]): Promise<Record<string, RequestAnswer>> {
  const { stdout } = await runPython([path.join(REPO, 'test', 'fixtures', 'zoo', 'answer_request.py'), ...files]);
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, RequestAnswer>;
}
