// The warmup file of a version, read from any store and checked against the version's serving signatures; the
// tree and `inspect` show its result, the editor command and the CLI write it.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { VersionFileSource } from '../model/modelInspector';
import type { SignatureDef } from '../model/savedModelDecoder';
import { encodeWarmupRecords, type WarmupPredictRequest } from './predictionLog';
import { encodeTfRecords } from './tfRecord';
import { checkWarmupFile, type WarmupCheck } from './warmupCheck';
import { WARMUP_FILE } from './warmupFile';

export interface VersionWarmup {
  /** The file as messages name it: `<version>/assets.extra/tf_serving_warmup_requests`. */
  readonly file: string;
  readonly bytes: number;
  readonly check: WarmupCheck;
}

/** Undefined when the version has no warmup file (TF Serving: "No warmup data file found at …", and loads). */
export async function readVersionWarmup(source: VersionFileSource, signatures: readonly SignatureDef[] | undefined): Promise<VersionWarmup | undefined> {
  // A store lists assets.extra/ to answer; a version without that folder has no warmup file (not an error).
  if (!source.hasFile || !(await source.hasFile(WARMUP_FILE).catch(() => false))) return undefined;
  const file = `${source.label.replace(/\/+$/, '')}/${WARMUP_FILE}`;
  const bytes = await source.readFile(WARMUP_FILE);
  return { file, bytes: bytes.length, check: await checkWarmupFile(bytes, file, signatures) };
}

/** The file's bytes: one TFRecord per PredictionLog. */
export async function warmupFileBytes(requests: readonly WarmupPredictRequest[]): Promise<Uint8Array> {
  return encodeTfRecords(await encodeWarmupRecords(requests));
}

/** Writes the file into a local version folder (or a copy of one), whole or not at all. */
export async function writeWarmupFile(versionDir: string, bytes: Uint8Array): Promise<string> {
  const target = path.join(versionDir, ...WARMUP_FILE.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.tmp-${process.pid}`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, target);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  return target;
}
