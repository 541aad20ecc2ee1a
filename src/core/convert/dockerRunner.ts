// Runs the conversion script in a tensorflow/tensorflow container: the model mounted read-only, the output folder
// writable, the script (and sample inputs) read-only. TF-TRT gets the GPUs through a device request.
import * as path from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { DockerEngine } from '../serving/dockerEngine';
import { DockerEngineError } from '../serving/dockerEngineError';
import { TENSORRT_RUNNER_IMAGE, TFLITE_RUNNER_IMAGE, type ConversionTarget } from './conversionOptions';
import { ConversionError } from './conversionError';
import type { ScriptPaths } from './conversionScript';
import {
  OutputCollector, SCRIPT_FILE_NAME, TFLITE_OUTPUT_NAME,
  type ConversionRunner, type HostPaths, type RunOutcome, type RunRequest,
} from './conversionRunner';

export const CONTAINER_MODEL_DIR = '/model';
export const CONTAINER_OUTPUT_DIR = '/output';
export const CONTAINER_WORK_DIR = '/work';
export const CONTAINER_SAMPLES_DIR = '/samples';
export const CONTAINER_TFLITE_DIR = '/tflite';
export const CONVERSION_LABEL = 'tfserving-studio.role';

export interface DockerRunnerOptions {
  /** Image to run; default TFLITE_RUNNER_IMAGE (TFLite) or TENSORRT_RUNNER_IMAGE (TF-TRT). */
  readonly image?: string;
  /** Request all NVIDIA GPUs (default: for TF-TRT only). */
  readonly gpus?: boolean;
  /** Pull the image when the engine lacks it (default true). */
  readonly pull?: boolean;
  /** Extra environment (NAME=value). */
  readonly env?: readonly string[];
  /** Extra bind mounts (host:container[:ro]). */
  readonly extraBinds?: readonly string[];
  /** Connects to the engine (default: DockerEngine.connect() on DOCKER_HOST / the current context). */
  readonly connect?: () => Promise<DockerEngine>;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export class DockerRunner implements ConversionRunner {
  readonly kind = 'docker' as const;
  constructor(private readonly options: DockerRunnerOptions = {}) {}

  imageFor(target: ConversionTarget): string {
    return this.options.image ?? (target === 'tflite' ? TFLITE_RUNNER_IMAGE : TENSORRT_RUNNER_IMAGE);
  }

  private wantsGpus(target: ConversionTarget): boolean {
    return this.options.gpus ?? target === 'tensorrt';
  }

  scriptPaths(paths: HostPaths, target: ConversionTarget): ScriptPaths {
    return {
      savedModelDir: CONTAINER_MODEL_DIR,
      output: target === 'tflite' ? `${CONTAINER_OUTPUT_DIR}/${TFLITE_OUTPUT_NAME}` : CONTAINER_OUTPUT_DIR,
      ...(paths.samplesFile ? { samplesFile: `${CONTAINER_SAMPLES_DIR}/${path.basename(paths.samplesFile)}` } : {}),
      ...(paths.tfliteFile ? { tfliteFile: `${CONTAINER_TFLITE_DIR}/${path.basename(paths.tfliteFile)}` } : {}),
      outputDir: CONTAINER_OUTPUT_DIR,
    };
  }

  binds(paths: HostPaths): string[] {
    const binds = [
      `${paths.savedModelDir}:${CONTAINER_MODEL_DIR}:ro`,
      `${paths.outputDir}:${CONTAINER_OUTPUT_DIR}`,
      `${paths.workDir}:${CONTAINER_WORK_DIR}:ro`,
    ];
    if (paths.samplesFile) binds.push(`${paths.samplesFile}:${CONTAINER_SAMPLES_DIR}/${path.basename(paths.samplesFile)}:ro`);
    if (paths.tfliteFile) binds.push(`${paths.tfliteFile}:${CONTAINER_TFLITE_DIR}/${path.basename(paths.tfliteFile)}:ro`);
    return [...binds, ...(this.options.extraBinds ?? [])];
  }

  /** Files written by the container belong to the user, not root. */
  private user(): string | undefined {
    return typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid?.() ?? 0}` : undefined;
  }

  private env(): string[] {
    return ['PYTHONUNBUFFERED=1', 'HOME=/tmp', ...(this.options.env ?? [])];
  }

  commandLine(paths: HostPaths, target: ConversionTarget): string {
    const user = this.user();
    return [
      'docker run --rm',
      ...(this.wantsGpus(target) ? ['--gpus all'] : []),
      ...(user ? [`--user ${user}`] : []),
      ...this.env().map((e) => `-e ${shellQuote(e)}`),
      ...this.binds(paths).map((b) => `-v ${shellQuote(b)}`),
      `-w ${CONTAINER_WORK_DIR}`,
      this.imageFor(target),
      `python3 ${CONTAINER_WORK_DIR}/${paths.scriptName ?? SCRIPT_FILE_NAME}`,
    ].join(' ');
  }

  private async connect(): Promise<DockerEngine> {
    try {
      if (this.options.connect) return await this.options.connect();
      const { DockerEngine } = await import('../serving/dockerEngine');
      return await DockerEngine.connect();
    } catch (e) {
      throw asConversionError(e);
    }
  }

  /** Engine reachable and image present (pulled when allowed); returns the image. */
  async preflight(target: ConversionTarget): Promise<string> {
    const engine = await this.connect();
    await this.ensureImage(engine, target);
    return this.imageFor(target);
  }

  private async ensureImage(engine: DockerEngine, target: ConversionTarget): Promise<void> {
    await engine.ensureImage(this.imageFor(target), { pull: this.options.pull }).catch((e: unknown) => { throw asConversionError(e); });
  }

  async run(request: RunRequest): Promise<RunOutcome> {
    const { target, paths, signal } = request;
    const scriptName = paths.scriptName ?? SCRIPT_FILE_NAME;
    await writeFile(path.join(paths.workDir, scriptName), request.script, { mode: 0o644 });
    const engine = await this.connect();
    await this.ensureImage(engine, target);
    if (signal?.aborted) throw cancelledError();
    const user = this.user();
    const body = {
      Image: this.imageFor(target),
      Cmd: ['python3', `${CONTAINER_WORK_DIR}/${scriptName}`],
      WorkingDir: CONTAINER_WORK_DIR,
      Env: this.env(),
      ...(user ? { User: user } : {}),
      Labels: { [CONVERSION_LABEL]: 'conversion' },
      HostConfig: {
        Binds: this.binds(paths),
        NetworkMode: 'none', // a conversion needs no network
        ...(this.wantsGpus(target) ? { DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] } : {}),
      },
    };
    const collector = new OutputCollector(request.onLine);
    let outcome: { exitCode: number; cancelled: boolean };
    try {
      outcome = await engine.runToExit(body, { onLine: (l) => collector.line(l.stream, l.text), signal });
    } catch (e) {
      if (e instanceof DockerEngineError && e.kind === 'gpu-unavailable') {
        throw new ConversionError('runner-failed', e.message, 'TF-TRT needs an NVIDIA GPU and the NVIDIA Container Toolkit on the Docker host.');
      }
      throw asConversionError(e);
    }
    if (outcome.cancelled) throw cancelledError();
    return { exitCode: outcome.exitCode, events: collector.events, tail: collector.tail };
  }
}

const cancelledError = () => new ConversionError('cancelled', 'The conversion was cancelled; nothing was published.');

/** The serving engine's errors (unreachable, image missing…) keep their message and hint. */
function asConversionError(e: unknown): Error {
  if (e instanceof ConversionError) return e;
  const any = e as { message?: string; hint?: string };
  return e instanceof Error ? new ConversionError('runner-failed', any.message ?? String(e), any.hint) : new Error(String(e));
}
