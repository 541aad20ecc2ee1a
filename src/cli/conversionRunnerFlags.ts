// --runner local|docker, --python PATH, --image IMAGE: one reading for convert and compare.
import * as path from 'node:path';
import type { ConversionTarget } from '../core/convert/conversionOptions';
import type { ConversionRunner } from '../core/convert/conversionRunner';
import { DockerRunner } from '../core/convert/dockerRunner';
import { LocalPythonRunner } from '../core/convert/localPythonRunner';
import { ConversionError } from '../core/convert/conversionError';

export const runnerValueFlags = ['runner', 'python', 'image'];

export function runnerFromFlags(get: (name: string) => string | undefined, io: { env: NodeJS.ProcessEnv; cwd: string }, target: ConversionTarget): ConversionRunner {
  const kind = get('runner') ?? (target === 'tensorrt' ? 'docker' : 'local');
  if (kind === 'local') {
    const python = get('python') ?? io.env.TFSS_PYTHON ?? 'python3';
    // A relative path (.venv/bin/python) means the shell's folder; the script itself runs in a scratch folder.
    return new LocalPythonRunner({ python: python.includes('/') ? path.resolve(io.cwd, python) : python, env: io.env });
  }
  if (kind === 'docker') return new DockerRunner({ image: get('image') });
  throw new ConversionError('invalid-options', `--runner must be local or docker, not "${kind}".`);
}

/** --max-abs-diff X and --min-top1 PERCENT. */
export const thresholdValueFlags = ['max-abs-diff', 'min-top1', 'samples', 'inputs'];

export function thresholdsFromFlags(get: (name: string) => string | undefined): { maxAbsDiff?: number; minTop1Percent?: number } {
  const num = (flag: string, lo: number, hi: number) => {
    const text = get(flag);
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!Number.isFinite(v) || v < lo || v > hi) throw new ConversionError('invalid-options', `--${flag} must be a number from ${lo} to ${hi}, not "${text}".`);
    return v;
  };
  const maxAbsDiff = num('max-abs-diff', 0, Number.MAX_VALUE);
  const minTop1Percent = num('min-top1', 0, 100);
  return { ...(maxAbsDiff === undefined ? {} : { maxAbsDiff }), ...(minTop1Percent === undefined ? {} : { minTop1Percent }) };
}

export function samplesFromFlags(get: (name: string) => string | undefined): number | undefined {
  const text = get('samples');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) throw new ConversionError('invalid-options', `--samples must be a whole number from 1 to 100000, not "${text}".`);
  return n;
}

/** A conversion error as `convert` and `compare` print it: message, hint, exit 2 for bad input, else 1. */
export function reportConversionError(command: string, e: ConversionError, io: { err(s: string): void }): number {
  io.err(`tfserving-studio ${command}: ${e.message}`);
  if (e.hint) io.err(`  ${e.hint}`);
  return e.kind === 'invalid-options' || e.kind === 'invalid-samples' ? 2 : 1;
}
