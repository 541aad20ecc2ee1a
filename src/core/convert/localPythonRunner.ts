// Runs the conversion script with a Python interpreter on this machine (one the user picked, or python3).
// The script runs in its own process group so cancelling also ends anything TensorFlow started.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ConversionTarget } from './conversionOptions';
import { ConversionError } from './conversionError';
import type { ScriptPaths } from './conversionScript';
import {
  checkTensorflowForTarget, OutputCollector, SCRIPT_FILE_NAME, TFLITE_OUTPUT_NAME,
  type ConversionRunner, type HostPaths, type RunOutcome, type RunRequest,
} from './conversionRunner';
import { lineSplitter } from '../lineSplitter';

export interface LocalPythonRunnerOptions {
  /** Interpreter path or command (default python3). */
  readonly python?: string;
  /** Environment for the interpreter (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** How long a cancelled script gets between SIGTERM and SIGKILL. */
  readonly killGraceMs?: number;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export class LocalPythonRunner implements ConversionRunner {
  readonly kind = 'local' as const;
  readonly python: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly killGraceMs: number;
  /** A successful check is remembered: importing TensorFlow costs seconds, and the interpreter does not change. */
  private checkedVersion?: string;

  constructor(options: LocalPythonRunnerOptions = {}) {
    this.python = options.python ?? 'python3';
    this.env = options.env ?? process.env;
    this.killGraceMs = options.killGraceMs ?? 5000;
  }

  scriptPaths(paths: HostPaths, target: ConversionTarget): ScriptPaths {
    return {
      savedModelDir: paths.savedModelDir,
      output: target === 'tflite' ? path.join(paths.outputDir, TFLITE_OUTPUT_NAME) : paths.outputDir,
      ...(paths.samplesFile ? { samplesFile: paths.samplesFile } : {}),
      ...(paths.tfliteFile ? { tfliteFile: paths.tfliteFile } : {}),
      outputDir: paths.outputDir,
    };
  }

  commandLine(paths: HostPaths): string {
    return `${shellQuote(this.python)} ${shellQuote(path.join(paths.workDir, paths.scriptName ?? SCRIPT_FILE_NAME))}`;
  }

  /** Checks that the interpreter starts and imports TensorFlow; returns the TensorFlow version. */
  async preflight(target: ConversionTarget, signal?: AbortSignal): Promise<string> {
    if (this.checkedVersion !== undefined) {
      checkTensorflowForTarget(this.checkedVersion, target, `Python at "${this.python}"`);
      return this.checkedVersion;
    }
    const lines: string[] = [];
    const stdout: string[] = [];
    const { code, spawnError } = await this.exec(['-c', 'import tensorflow as tf; print(tf.__version__)'], (s, t) => { lines.push(t); if (s === 'stdout') stdout.push(t); }, signal);
    if (spawnError) {
      throw new ConversionError('python-missing', `No Python interpreter at "${this.python}" (${spawnError.message}).`,
        'Install Python 3, pick an interpreter (Python extension or the tfServing.convert.pythonPath setting), or use the Docker runner.');
    }
    if (signal?.aborted) throw new ConversionError('cancelled', 'Cancelled.');
    if (code !== 0) {
      const missing = lines.find((l) => /No module named/.test(l));
      const detail = missing ?? lines.filter((l) => l.trim()).slice(-1)[0] ?? `exit code ${code}`;
      throw new ConversionError('tensorflow-missing', `Python at "${this.python}" cannot import TensorFlow: ${detail.trim()}.`,
        'Install it into that interpreter (pip install tensorflow; TF-TRT needs tensorflow==2.17.0), pick another interpreter, or use the Docker runner.');
    }
    // stdout only: TensorFlow logs to stderr while it imports, interleaved with the version line.
    const version = stdout.map((l) => l.trim()).filter(Boolean).pop() ?? '';
    this.checkedVersion = version;
    checkTensorflowForTarget(version, target, `Python at "${this.python}"`);
    return version;
  }

  async run(request: RunRequest): Promise<RunOutcome> {
    const scriptFile = path.join(request.paths.workDir, request.paths.scriptName ?? SCRIPT_FILE_NAME);
    await writeFile(scriptFile, request.script, { mode: 0o644 });
    const collector = new OutputCollector(request.onLine);
    const { code, spawnError } = await this.exec([scriptFile], (s, t) => collector.line(s, t), request.signal, request.paths.workDir);
    if (spawnError) throw new ConversionError('python-missing', `No Python interpreter at "${this.python}" (${spawnError.message}).`);
    if (request.signal?.aborted) throw new ConversionError('cancelled', 'The conversion was cancelled; nothing was published.');
    return { exitCode: code, events: collector.events, tail: collector.tail };
  }

  private exec(args: string[], onLine: (stream: 'stdout' | 'stderr', text: string) => void, signal?: AbortSignal, cwd?: string): Promise<{ code: number; spawnError?: Error }> {
    return new Promise((resolve) => {
      if (signal?.aborted) { resolve({ code: -1 }); return; }
      const detached = process.platform !== 'win32';
      const child = spawn(this.python, args, { cwd, env: { ...this.env, PYTHONUNBUFFERED: '1' }, detached, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = lineSplitter((t) => onLine('stdout', t));
      const err = lineSplitter((t) => onLine('stderr', t));
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      let killTimer: NodeJS.Timeout | undefined;
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (detached && child.pid) process.kill(-child.pid, sig); // the whole process group
          else child.kill(sig);
        } catch { /* already gone */ }
      };
      const onAbort = () => {
        kill('SIGTERM');
        killTimer = setTimeout(() => kill('SIGKILL'), this.killGraceMs);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let spawnError: Error | undefined;
      child.on('error', (e) => { spawnError = e; });
      child.on('close', (code, sig) => {
        signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        out.flush();
        err.flush();
        resolve({ code: code ?? (sig ? 128 : -1), spawnError });
      });
    });
  }
}
