// Benchmark: TFLite conversion of the zoo classifier (2 inputs, ~445,000 weights) per mode with the project's real
// TensorFlow, as ratios to the float32 conversion (no quantization) measured in the same run; and validating the
// dynamic-range result (32 seeded inputs, both models) as a ratio to converting it. Every figure includes one
// Python start with TensorFlow's import, as the user pays it. Standalone: `npm run bench -- conversion`.
import { mkdtempSync, rmSync, cpSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runConversion } from '../src/core/convert/conversionJob';
import type { ConversionOptions } from '../src/core/convert/conversionOptions';
import { LocalPythonRunner } from '../src/core/convert/localPythonRunner';
import { runValidation } from '../src/core/convert/validationJob';
import { tensorflowEnv, tensorflowZoo, venvPython } from '../test/integration/tensorflowZoo';
import type { BenchReport } from './run';

const modes: Record<string, Partial<ConversionOptions>> = { none: { quantize: 'none' }, dynamic: { quantize: 'dynamic' }, float16: { quantize: 'float16' } };

export async function tfliteConversionModes(): Promise<BenchReport> {
  const zoo = await tensorflowZoo();
  const runner = new LocalPythonRunner({ python: venvPython(), env: tensorflowEnv() });
  await runner.preflight('tflite');
  const root = mkdtempSync(path.join(tmpdir(), 'tfss-bench-convert-'));
  try {
    const seconds: Record<string, number> = {};
    const convert = async (name: string, options: ConversionOptions) => {
      const dir = path.join(root, name, '1');
      cpSync(zoo.versionDir('classifier'), dir, { recursive: true });
      const t0 = performance.now();
      const result = await runConversion({ versionDir: dir, options, runner, destination: { kind: 'next-version' } });
      seconds[name] = (performance.now() - t0) / 1000;
      return result;
    };
    const base = { target: 'tflite', signatureKey: 'serving_default', selectTfOps: false } as const;
    // Warm-up: the first conversion also pays the cold file cache for TensorFlow's libraries.
    await convert('warmup', { ...base, quantize: 'none' } as ConversionOptions);
    let dynamicOut = '';
    for (const [name, o] of Object.entries(modes)) {
      const r = await convert(name, { ...base, ...o } as ConversionOptions);
      if (name === 'dynamic') dynamicOut = r.outputPath;
    }
    await convert('int8', { ...base, quantize: 'int8', representativeDataset: zoo.samples('classifier') });
    const t0 = performance.now();
    const report = await runValidation({ savedModelDir: path.join(root, 'dynamic', '1'), tflite: dynamicOut, runner, samples: 32 });
    const validation = (performance.now() - t0) / 1000;
    const figures: Record<string, number | string> = { 'float32 conversion (baseline), s': seconds.none };
    for (const name of ['dynamic', 'float16', 'int8']) figures[`${name} / float32 conversion time`] = seconds[name] / seconds.none;
    figures['validation (32 inputs, both models) / dynamic conversion time'] = validation / seconds.dynamic;
    figures['validated median latency SavedModel / TFLite'] = report.savedModelMedianMs / report.tfliteMedianMs;
    figures['load average (1 min)'] = loadavg()[0];
    return { name: 'TFLite conversion of the classifier per mode, and validation (real TensorFlow)', figures };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
