// Decides what kind of model a version folder holds (the way TF Serving looks for it) and decodes it.
// Works on file names + a byte reader, so local folders, S3 and GCS stores can all feed it.

import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelDecodeError } from './modelDecodeError';
import { countOp, decodeSavedModel, findMetaGraph, type MetaGraph, type SavedModel } from './savedModelDecoder';
import { decodeSavedModelText } from './savedModelTextDecoder';
import { decodeTflite, type TfliteModel } from './tfliteDecoder';
import { unservableTensors } from './tfliteServingSignatures';
import { VARIABLES_INDEX } from './versionRules';
import { readVersionWarmup, type VersionWarmup } from '../warmup/versionWarmup';

export const savedModelFile = 'saved_model.pb';
export const savedModelTextFile = 'saved_model.pbtxt';
export const tfliteFile = 'model.tflite';

export type ModelFormat = 'savedmodel' | 'savedmodel-text' | 'tflite';

/** What a version folder offers: the names of its top-level files, and a way to read one. */
export interface VersionFileSource {
  /** Shown in messages (a path or URI). */
  readonly label: string;
  listFiles(): Promise<string[]>;
  readFile(name: string): Promise<Uint8Array>;
  /** Whether a file exists at a path relative to the version ('variables/variables.index'). */
  hasFile?(relativePath: string): Promise<boolean>;
  /** Bytes of a top-level file, when known before reading it. */
  sizeOf?(name: string): Promise<number | undefined>;
  /** The first bytes of a file, so hopeless files are refused without reading them whole. */
  readHead?(name: string, bytes: number): Promise<Uint8Array>;
}

/** Protobuf refuses messages over 2 GiB, so TensorFlow (and TF Serving) cannot read a bigger saved_model.pb. */
export const MAX_MODEL_FILE_BYTES = 2 ** 31 - 1;

export interface SavedModelSummary {
  readonly format: 'savedmodel' | 'savedmodel-text';
  readonly file: string;
  readonly fileBytes: number;
  readonly savedModel: SavedModel;
  /** The {"serve"} meta graph TF Serving loads by default, when there is one. */
  readonly servingMetaGraph?: MetaGraph;
  /** Other files that also hold a model (a model.tflite beside saved_model.pb is only used with --prefer_tflite_model). */
  readonly otherModelFiles: string[];
  /** What would go wrong when TF Serving loads or serves it, in words a user can act on. */
  readonly warnings: string[];
  /** assets.extra/tf_serving_warmup_requests, checked, when the version has one. */
  readonly warmup?: VersionWarmup;
}

export interface TfliteSummary {
  readonly format: 'tflite';
  readonly file: string;
  readonly fileBytes: number;
  readonly tflite: TfliteModel;
  readonly otherModelFiles: string[];
  readonly warnings: string[];
  readonly warmup?: VersionWarmup;
}

export type ModelSummary = SavedModelSummary | TfliteSummary;

/**
 * Which file to decode, given a version folder's file names. TF Serving's SavedModel loader reads saved_model.pb,
 * else saved_model.pbtxt; model.tflite is a TFLite model.
 */
export function detectModelFile(fileNames: readonly string[]): { format: ModelFormat; file: string } | undefined {
  const names = new Set(fileNames);
  if (names.has(savedModelFile)) return { format: 'savedmodel', file: savedModelFile };
  if (names.has(savedModelTextFile)) return { format: 'savedmodel-text', file: savedModelTextFile };
  if (names.has(tfliteFile)) return { format: 'tflite', file: tfliteFile };
  return undefined;
}

const lfsPointer = 'version https://git-lfs.github.com/spec/';

/**
 * Refuses, from its first bytes, a file that cannot be the model its name says: a Git LFS pointer left by a clone
 * without LFS, zeros (preallocated or never written), text where binary belongs. Cheap, so it runs before a read.
 */
export function checkModelHead(file: string, head: Uint8Array, label = file): void {
  if (head.length === 0) throw new ModelDecodeError('corrupt', `${label} is empty`);
  const text = new TextDecoder('latin1').decode(head.subarray(0, lfsPointer.length));
  if (text === lfsPointer) {
    throw new ModelDecodeError('corrupt', `${label} is a Git LFS pointer, not the model: the repository was cloned without its large files. Run "git lfs pull" in the clone (after "git lfs install"), then try again.`);
  }
  if (head.every((b) => b === 0)) {
    throw new ModelDecodeError('corrupt', `${label} starts with ${head.length.toLocaleString('en-US')} zero bytes, so it is not a model: it was never written, or the copy was cut short. Copy or download it again.`);
  }
  const base = basename(file);
  // A protobuf message starts with a tag whose field number is at least 1, so its first byte is 8 or more.
  if ((base === savedModelFile || base.endsWith('.pb')) && head[0] < 8) {
    throw new ModelDecodeError('corrupt', `${label} is not a SavedModel: its first byte (${head[0]}) cannot start a protobuf message.`);
  }
}

/** Decodes one model file's bytes (format by name: saved_model.pb or *.pb, saved_model.pbtxt or *.pbtxt, *.tflite). */
export function inspectModelBytes(file: string, bytes: Uint8Array, otherModelFiles: string[] = [], label = file): ModelSummary {
  checkModelHead(file, bytes.subarray(0, 4096), label);
  const base = basename(file);
  const binary = base === savedModelFile || base.endsWith('.pb');
  if (binary || base === savedModelTextFile || base.endsWith('.pbtxt')) {
    const savedModel = binary ? decodeSavedModel(bytes, label) : decodeSavedModelText(new TextDecoder('utf-8').decode(bytes), label);
    const servingMetaGraph = findMetaGraph(savedModel, ['serve']);
    return {
      format: binary ? 'savedmodel' : 'savedmodel-text',
      file: base,
      fileBytes: bytes.length,
      savedModel,
      ...(servingMetaGraph ? { servingMetaGraph } : {}),
      otherModelFiles,
      warnings: servingMetaGraph ? signatureWarnings(servingMetaGraph) : [],
    };
  }
  if (base.endsWith('.tflite')) {
    const tflite = decodeTflite(bytes, label);
    const warnings = unservableTensors(tflite).map((t) => `TF Serving cannot serve the TFLite tensor "${t.name}" of type ${t.typeName} (it maps FLOAT32, INT32, UINT8, INT64, STRING, BOOL, INT16, COMPLEX64 and INT8 only), so the model fails to load.`);
    return { format: 'tflite', file: base, fileBytes: bytes.length, tflite, otherModelFiles, warnings };
  }
  throw new ModelDecodeError('no-model', `${label} is neither ${savedModelFile}, ${savedModelTextFile} nor a .tflite file`);
}

/** The signature TF Serving uses when a request names none. */
export const DEFAULT_SIGNATURE_KEY = 'serving_default';

function signatureWarnings(g: MetaGraph): string[] {
  if (g.signatures.some((s) => s.key === DEFAULT_SIGNATURE_KEY)) return [];
  const named = g.signatures.map((s) => s.key).filter((k) => !k.startsWith('__'));
  return [`No "${DEFAULT_SIGNATURE_KEY}" signature: every request must name one${named.length ? ` ("signature_name": ${named.map((k) => `"${k}"`).join(', ')})` : ', and the model has none TF Serving can call'}.`];
}

/** Ops that create or restore variables: a graph holding one needs the variables/ checkpoint at load time. */
const variableOps = ['VarHandleOp', 'VariableV2', 'Variable', 'RestoreV2', 'Restore', 'RestoreSlice'];

/** True when the graph reads variables, so a missing variables/ index makes it load and then fail every request. */
export function graphReadsVariables(g: MetaGraph): boolean {
  return g.hasSaverDef || variableOps.some((op) => countOp(g.graph, op) > 0);
}

/** Inspects a version folder: a local directory path, or any VersionFileSource (S3, GCS…). */
export async function inspectVersion(dirOrFiles: string | VersionFileSource): Promise<ModelSummary> {
  const source = typeof dirOrFiles === 'string' ? await localVersionSource(dirOrFiles) : dirOrFiles;
  const names = await source.listFiles();
  const chosen = detectModelFile(names);
  if (!chosen) {
    const shown = names.length ? names.slice(0, 8).join(', ') + (names.length > 8 ? ', …' : '') : 'nothing';
    throw new ModelDecodeError('no-model', `${source.label} holds no ${savedModelFile}, ${savedModelTextFile} or ${tfliteFile} (found: ${shown})`);
  }
  const others = [savedModelFile, savedModelTextFile, tfliteFile].filter((n) => n !== chosen.file && names.includes(n));
  const label = `${source.label.replace(/\/+$/, '')}/${chosen.file}`;
  const size = await source.sizeOf?.(chosen.file);
  if (size !== undefined && size > MAX_MODEL_FILE_BYTES) {
    throw new ModelDecodeError('unsupported', `${label} is ${(size / 2 ** 30).toFixed(1)} GiB: protobuf (and so TensorFlow and TF Serving) cannot read a model file over 2 GiB. Move large constants into variables/ when exporting.`);
  }
  if (source.readHead) checkModelHead(chosen.file, await source.readHead(chosen.file, 4096), label);
  const decoded = inspectModelBytes(chosen.file, await source.readFile(chosen.file), others, label);
  // TF Serving warms a SavedModel up with its serving signatures; a TFLite version's file is framed and parsed only.
  const warmup = await readVersionWarmup(source, decoded.format === 'tflite' ? undefined : decoded.servingMetaGraph?.signatures ?? []);
  const summary = warmup ? { ...decoded, warmup } : decoded;
  if (summary.format === 'tflite' || !summary.servingMetaGraph || !graphReadsVariables(summary.servingMetaGraph)) return summary;
  const hasIndex = source.hasFile ? await source.hasFile(VARIABLES_INDEX) : true;
  if (hasIndex) return summary;
  return { ...summary, warnings: [`The graph reads variables, but ${VARIABLES_INDEX} is missing: TF Serving loads this version, then every prediction fails. Publish the variables/ folder saved with this graph.`, ...summary.warnings] };
}

/** Inspects a version folder, or one model file (saved_model.pb, saved_model.pbtxt, *.tflite) given by its path. */
export async function inspectPath(path: string): Promise<ModelSummary> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new ModelDecodeError('not-found', `${path} does not exist`);
  if (st.isDirectory()) return inspectVersion(path);
  const folder = await localVersionSource(dirname(path));
  const name = basename(path);
  return inspectVersion({ ...folder, label: dirname(path), listFiles: async () => [name] }).catch((e) => {
    if (e instanceof ModelDecodeError && e.kind === 'no-model') {
      throw new ModelDecodeError('no-model', `${path} is not a model file: give saved_model.pb, saved_model.pbtxt, a .tflite file or a version folder`);
    }
    throw e;
  });
}

/** A VersionFileSource over a local directory. */
export async function localVersionSource(dir: string): Promise<VersionFileSource> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    throw new ModelDecodeError('not-found', `${dir} does not exist`);
  }
  if (!isDir) throw new ModelDecodeError('not-found', `${dir} is not a directory`);
  return {
    label: dir,
    listFiles: async () => (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name),
    // A Buffer is a Uint8Array: no copy of a file that may be large.
    readFile: (name) => readFile(join(dir, name)),
    hasFile: (rel) => stat(join(dir, ...rel.split('/'))).then((s) => s.isFile(), () => false),
    sizeOf: (name) => stat(join(dir, name)).then((s) => s.size, () => undefined),
    readHead: async (name, bytes) => {
      const handle = await open(join(dir, name), 'r');
      try {
        const buf = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buf, 0, bytes, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}
