// The project's TensorFlow (.venv/, built by scripts/setup-python.sh) and the zoo of models it builds
// (test/fixtures/zoo/build_zoo.py), cached under .tmp/zoo/<hash>/ so a suite builds it at most once per change.
// Without the venv these helpers throw: a test that needs TensorFlow fails, it never skips.
import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
const BUILD_SCRIPT = path.join(REPO, 'test', 'fixtures', 'zoo', 'build_zoo.py');
const VIEW_SCRIPT = path.join(REPO, 'test', 'fixtures', 'zoo', 'tensorflow_view.py');
const REQUIREMENTS = path.join(REPO, 'scripts', 'python', 'requirements.txt');

export type ZooModel = 'classifier' | 'classifier_b' | 'cnn' | 'cnn_tfsave' | 'text' | 'two_sigs' | 'erf';

/** .venv/bin/python (or TFSS_TENSORFLOW_PYTHON), after checking it exists. */
export function venvPython(): string {
  const python = process.env.TFSS_TENSORFLOW_PYTHON ?? path.join(REPO, '.venv', 'bin', 'python');
  if (!existsSync(python)) {
    throw new Error(`No TensorFlow environment at ${python}: run \`npm run setup\` (scripts/setup-python.sh builds .venv/). ` +
      'These tests need real TensorFlow and do not skip without it.');
  }
  return python;
}

/** Quiet TensorFlow's C++ start-up logs in test output. */
export const tensorflowEnv = (): NodeJS.ProcessEnv => ({ ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', PYTHONPATH: '' });

export function runPython(args: string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(venvPython(), args, { env: tensorflowEnv(), cwd: options.cwd, timeout: options.timeoutMs ?? 300_000, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(args[0] ?? 'python')} failed: ${error.message}\n${stderr.split('\n').slice(-30).join('\n')}`));
      else resolve({ stdout, stderr });
    });
  });
}

export interface Zoo {
  readonly dir: string;
  /** The model's version folder (…/<name>/1), read-only: copy it with zooRepository() before converting. */
  versionDir(name: ZooModel): string;
  /** Sample inputs written beside the model (classifier/text: .json rows, cnn: .npy). */
  samples(name: 'classifier' | 'text' | 'cnn'): string;
}

let building: Promise<Zoo> | undefined;

/** Builds the zoo once per content hash of the build script and the pinned requirements. */
export function tensorflowZoo(): Promise<Zoo> {
  building ??= buildZoo();
  return building;
}

async function buildZoo(): Promise<Zoo> {
  const hash = createHash('sha256').update(readFileSync(BUILD_SCRIPT)).update(readFileSync(REQUIREMENTS)).digest('hex').slice(0, 16);
  const root = path.join(REPO, '.tmp', 'zoo');
  const dir = path.join(root, hash);
  if (!existsSync(path.join(dir, 'zoo.json'))) {
    mkdirSync(root, { recursive: true });
    const partial = mkdtempSync(path.join(root, `.building-${hash}-`));
    try {
      await runPython([BUILD_SCRIPT, partial]);
      try {
        renameSync(partial, dir); // atomic: another process building the same hash may have won, which is fine
      } catch {
        if (!existsSync(path.join(dir, 'zoo.json'))) throw new Error(`could not move the zoo into ${dir}`);
      }
      // Zoos of older scripts or requirements are never used again.
      for (const old of readdirSync(root)) if (!old.startsWith('.') && old !== hash) rmSync(path.join(root, old), { recursive: true, force: true });
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return {
    dir,
    versionDir: (name) => path.join(dir, name, '1'),
    samples: (name) => path.join(dir, `${name}.samples.${name === 'cnn' ? 'npy' : 'json'}`),
  };
}

/** A scratch model repository with a copy of one zoo model as version 1; removed by cleanup(). */
export function zooRepository(zoo: Zoo, name: ZooModel, folderName: string = name): { root: string; modelDir: string; versionDir: string; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), `tfss-zoo-${name}-`));
  const modelDir = path.join(root, folderName);
  cpSync(zoo.versionDir(name), path.join(modelDir, '1'), { recursive: true });
  return { root, modelDir, versionDir: path.join(modelDir, '1'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A scratch repository holding one zoo model as version 1, removed after `use` whatever happens. */
export async function withZooRepository<T>(name: ZooModel, use: (repo: ReturnType<typeof zooRepository>, zoo: Zoo) => Promise<T>): Promise<T> {
  const zoo = await tensorflowZoo();
  const repo = zooRepository(zoo, name);
  try {
    return await use(repo, zoo);
  } finally {
    repo.cleanup();
  }
}

/** What TensorFlow itself reports for SavedModel folders and .tflite files (test/fixtures/zoo/tensorflow_view.py). */
export async function tensorflowView(paths: string[]): Promise<TensorflowViewEntry[]> {
  const { stdout } = await runPython([VIEW_SCRIPT, ...paths]);
  return JSON.parse(stdout.trim().split('\n').pop()!) as TensorflowViewEntry[];
}

export interface TfliteTensorView {
  index: number;
  name: string;
  dtype: string;
  shape: number[];
  shape_signature: number[];
  scales: number[];
  zero_points: number[];
  quantized_dimension: number;
}

export type TensorflowViewEntry =
  | { path: string; kind: 'savedmodel'; meta_graphs: { tags: string[]; signature_def: Record<string, unknown> }[] }
  | {
      path: string; kind: 'tflite';
      inputs: TfliteTensorView[]; outputs: TfliteTensorView[];
      signatures: Record<string, { inputs: string[]; outputs: string[] }>;
      tensors: TfliteTensorView[];
    };
