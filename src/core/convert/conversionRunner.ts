// What every runner (local Python, Docker) offers the conversion job, and how the script's output is read back.
import type { ConversionTarget } from './conversionOptions';
import { ConversionError, type ConversionErrorKind } from './conversionError';
import { SCRIPT_EVENT_PREFIX, type ScriptPaths } from './conversionScript';

/** Paths on this machine. */
export interface HostPaths {
  readonly savedModelDir: string;
  /** Folder the script writes into (model.tflite, or the TF-TRT SavedModel itself). */
  readonly outputDir: string;
  /** Folder holding convert.py. */
  readonly workDir: string;
  readonly samplesFile?: string;
  /** Validation: the TFLite file to run beside the SavedModel. */
  readonly tfliteFile?: string;
  /** The script's file name in workDir (default convert.py). */
  readonly scriptName?: string;
}

export const SCRIPT_FILE_NAME = 'convert.py';
export const TFLITE_OUTPUT_NAME = 'model.tflite';

export interface OutputLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface ScriptEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

export interface RunOutcome {
  readonly exitCode: number;
  readonly events: ScriptEvent[];
  /** The last lines of output, for error messages. */
  readonly tail: string[];
}

export interface RunRequest {
  readonly target: ConversionTarget;
  /** The script, generated with this runner's scriptPaths(). */
  readonly script: string;
  readonly paths: HostPaths;
  readonly onLine?: (line: OutputLine) => void;
  readonly signal?: AbortSignal;
}

export interface ConversionRunner {
  readonly kind: 'local' | 'docker';
  /** Where the script will find the model, samples and output, as seen from where it runs. */
  scriptPaths(paths: HostPaths, target: ConversionTarget): ScriptPaths;
  /** The equivalent shell command, for logs and --dry-run. */
  commandLine(paths: HostPaths, target: ConversionTarget): string;
  /** Cheap checks before anything runs (interpreter and TensorFlow, engine and image); returns what it found. */
  preflight(target: ConversionTarget, signal?: AbortSignal): Promise<string>;
  run(request: RunRequest): Promise<RunOutcome>;
}

/** Reads one structured line printed by the script, or undefined for plain log output. */
export function parseScriptEvent(line: string): ScriptEvent | undefined {
  const at = line.indexOf(SCRIPT_EVENT_PREFIX);
  if (at < 0) return undefined;
  try {
    const value = JSON.parse(line.slice(at + SCRIPT_EVENT_PREFIX.length)) as unknown;
    return value && typeof value === 'object' && typeof (value as ScriptEvent).event === 'string' ? (value as ScriptEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** Collects events and a bounded tail while forwarding every line. */
export class OutputCollector {
  readonly events: ScriptEvent[] = [];
  readonly tail: string[] = [];
  constructor(private readonly onLine?: (line: OutputLine) => void, private readonly tailSize = 40) {}
  line(stream: 'stdout' | 'stderr', text: string): void {
    const ev = parseScriptEvent(text);
    if (ev) this.events.push(ev);
    this.tail.push(text);
    if (this.tail.length > this.tailSize) this.tail.shift();
    this.onLine?.({ stream, text });
  }
}

const knownKinds: readonly ConversionErrorKind[] = ['tensorflow-missing', 'tensorflow-version', 'unsupported-ops', 'converter-failed'];

/** The script's result event, or the ConversionError its error event (or exit code) describes. */
export function resultOf(outcome: RunOutcome): { output: string; bytes: number; tensorflowVersion?: string } {
  const error = outcome.events.find((e) => e.event === 'error');
  if (error) {
    const kind = knownKinds.includes(error.kind as ConversionErrorKind) ? (error.kind as ConversionErrorKind) : 'converter-failed';
    const ops = Array.isArray(error.ops) ? error.ops.map(String) : [];
    throw new ConversionError(kind, String(error.message ?? 'The converter failed.'), error.hint ? String(error.hint) : undefined, ops);
  }
  const result = outcome.events.find((e) => e.event === 'result');
  const version = outcome.events.find((e) => e.event === 'tensorflow')?.version;
  if (outcome.exitCode !== 0 || !result) {
    const last = outcome.tail.filter((l) => l.trim()).slice(-5).join('\n');
    throw new ConversionError('runner-failed', `The conversion script ended with exit code ${outcome.exitCode} without a result${last ? `:\n${last}` : '.'}`,
      'Read the full log for the cause.');
  }
  return { output: String(result.output), bytes: Number(result.bytes), tensorflowVersion: version === undefined ? undefined : String(version) };
}

/** "2.17.0" → [2, 17]; undefined when unreadable. */
export function tensorflowMinor(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** TF-TRT exists up to TensorFlow 2.17. */
export function checkTensorflowForTarget(version: string, target: ConversionTarget, where: string): void {
  if (target !== 'tensorrt') return;
  const v = tensorflowMinor(version);
  if (v && (v[0] > 2 || (v[0] === 2 && v[1] > 17))) {
    throw new ConversionError('tensorflow-version', `${where} has TensorFlow ${version}, which no longer includes TF-TRT (removed after 2.17).`,
      'Use TensorFlow 2.17 (pip install tensorflow[and-cuda]==2.17.0) or the Docker runner with tensorflow/tensorflow:2.17.0-gpu.');
  }
}
