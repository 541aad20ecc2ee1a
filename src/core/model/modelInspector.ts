// Decides what kind of model a version folder holds (the way TF Serving looks for it) and decodes it.
// Works on file names + a byte reader, so local folders, S3 and GCS stores can all feed it.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelDecodeError } from './modelDecodeError';
import { decodeSavedModel, findMetaGraph, type MetaGraph, type SavedModel } from './savedModelDecoder';
import { decodeSavedModelText } from './savedModelTextDecoder';
import { decodeTflite, type TfliteModel } from './tfliteDecoder';

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
}

export interface SavedModelSummary {
  readonly format: 'savedmodel' | 'savedmodel-text';
  readonly file: string;
  readonly fileBytes: number;
  readonly savedModel: SavedModel;
  /** The {"serve"} meta graph TF Serving loads by default, when there is one. */
  readonly servingMetaGraph?: MetaGraph;
  /** Other files that also hold a model (a model.tflite beside saved_model.pb is only used with --prefer_tflite_model). */
  readonly otherModelFiles: string[];
}

export interface TfliteSummary {
  readonly format: 'tflite';
  readonly file: string;
  readonly fileBytes: number;
  readonly tflite: TfliteModel;
  readonly otherModelFiles: string[];
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

/** Decodes one model file's bytes (format by name). */
export function inspectModelBytes(file: string, bytes: Uint8Array, otherModelFiles: string[] = [], label = file): ModelSummary {
  if (bytes.length === 0) throw new ModelDecodeError('corrupt', `${label} is empty`);
  const base = file.split('/').pop() ?? file;
  if (base === savedModelFile || base === savedModelTextFile) {
    const savedModel =
      base === savedModelFile ? decodeSavedModel(bytes, label) : decodeSavedModelText(new TextDecoder('utf-8').decode(bytes), label);
    const servingMetaGraph = findMetaGraph(savedModel, ['serve']);
    return {
      format: base === savedModelFile ? 'savedmodel' : 'savedmodel-text',
      file: base,
      fileBytes: bytes.length,
      savedModel,
      ...(servingMetaGraph ? { servingMetaGraph } : {}),
      otherModelFiles,
    };
  }
  if (base.endsWith('.tflite')) {
    return { format: 'tflite', file: base, fileBytes: bytes.length, tflite: decodeTflite(bytes, label), otherModelFiles };
  }
  throw new ModelDecodeError('no-model', `${label} is neither ${savedModelFile}, ${savedModelTextFile} nor ${tfliteFile}`);
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
  const bytes = await source.readFile(chosen.file);
  return inspectModelBytes(chosen.file, bytes, others, `${source.label.replace(/\/+$/, '')}/${chosen.file}`);
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
    readFile: async (name) => new Uint8Array(await readFile(join(dir, name))),
  };
}
