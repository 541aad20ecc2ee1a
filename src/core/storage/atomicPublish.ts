// Safe publish into a bucket, shared by the S3 and GCS stores. TF Serving loads any numeric folder it sees on its
// next poll, so a version must appear complete or not at all: upload under a staging prefix it ignores (non-numeric),
// copy server-side into `<model>/<version>/` with the graph file (saved_model.pb / model.tflite) copied LAST (TF
// Serving treats a folder without it as not loadable), then delete the staging objects. On failure or abort, whatever
// reached the numeric prefix is deleted first, then the staging objects, and the error says what was cleaned.
import { errorText } from '../errorText';
import { promises as fs } from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { StoreError, type TransferOptions } from './modelStore';
import { parseVersionFolder } from '../model/versionRules';

export interface PublishFile {
  readonly localPath: string;
  /** Path inside the version folder, '/' separated. */
  readonly relPath: string;
  readonly bytes: number;
}

export interface PublishSource {
  readonly format: 'savedmodel' | 'tflite';
  readonly files: PublishFile[];
  /** The file that makes the version loadable; copied last. */
  readonly graphFile: string;
  readonly bytes: number;
}

/** Key-level operations on one bucket; each store supplies them through its SDK. */
export interface BucketObjectOps {
  /** The repository as the user knows it (e.g. `s3://bucket/models`), for messages. */
  readonly repository: string;
  upload(localPath: string, key: string, bytes: number, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<void>;
  copy(sourceKey: string, destKey: string, signal?: AbortSignal): Promise<void>;
  /** Every key below prefix (prefix ends with '/'), recursively. */
  listKeys(prefix: string): Promise<string[]>;
  /** Folder names one level below prefix (prefix ends with '/', or '' for the bucket root). */
  listFolderNames(prefix: string): Promise<string[]>;
  deleteKeys(keys: string[]): Promise<void>;
}

const PARALLEL_TRANSFERS = 4;

/** Reads and validates what the user picked: a SavedModel folder, or a .tflite file (which becomes model.tflite). */
export async function scanPublishSource(source: string): Promise<PublishSource> {
  let stat;
  try {
    stat = await fs.stat(source);
  } catch {
    throw new StoreError(`Cannot publish ${source}: it does not exist.`, 'Pick a SavedModel folder or a .tflite file.');
  }
  if (stat.isFile()) {
    if (!source.toLowerCase().endsWith('.tflite')) {
      throw new StoreError(`Cannot publish ${source}: a single file must be a .tflite model.`, 'Pick a SavedModel folder (saved_model.pb + variables/) or a .tflite file.');
    }
    return { format: 'tflite', files: [{ localPath: source, relPath: 'model.tflite', bytes: stat.size }], graphFile: 'model.tflite', bytes: stat.size };
  }
  if (!stat.isDirectory()) throw new StoreError(`Cannot publish ${source}: not a file or folder.`);
  const files: PublishFile[] = [];
  await walk(source, '', files);
  const names = new Set(files.map((f) => f.relPath));
  const graphFile = names.has('saved_model.pb') ? 'saved_model.pb' : names.has('saved_model.pbtxt') ? 'saved_model.pbtxt' : undefined;
  const hasVariables = (await isDirectory(path.join(source, 'variables')));
  const missing = [...(graphFile ? [] : ['saved_model.pb']), ...(hasVariables ? [] : ['variables/'])];
  if (missing.length) {
    throw new StoreError(`Cannot publish ${source}: it is not a SavedModel folder (missing ${missing.join(' and ')}).`,
      'Pick the folder that contains saved_model.pb and variables/ (the one tf.saved_model.save wrote), or a .tflite file.');
  }
  return { format: 'savedmodel', files, graphFile: graphFile!, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

async function isDirectory(p: string): Promise<boolean> {
  try { return (await fs.stat(p)).isDirectory(); } catch { return false; }
}

async function walk(root: string, rel: string, out: PublishFile[]): Promise<void> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(root, childRel, out);
    else if (e.isFile()) out.push({ localPath: path.join(root, childRel), relPath: childRel, bytes: (await fs.stat(path.join(root, childRel))).size });
  }
}

export interface BucketPublishResult {
  readonly versionPrefix: string;
  readonly files: number;
  readonly bytes: number;
}

/** modelPrefix: the model's key prefix without trailing slash ('' = bucket root). */
export async function publishToBucket(ops: BucketObjectOps, source: PublishSource, modelPrefix: string, version: number, options: TransferOptions = {}): Promise<BucketPublishResult> {
  if (!Number.isSafeInteger(version) || version < 0) throw new StoreError(`Version must be a whole number ≥ 0, not ${version}.`);
  const base = modelPrefix ? `${modelPrefix}/` : '';
  const existing = (await ops.listFolderNames(base)).filter((n) => parseVersionFolder(n) === version);
  if (existing.length) {
    throw new StoreError(`Version ${version} already exists in ${ops.repository}/${base}${existing[0]}/; publishing never overwrites a version.`,
      'Pick a higher version number (the default is the latest + 1), or delete that version first.');
  }
  const staging = `${base}.staging-${version}-${randomBytes(4).toString('hex')}/`;
  const target = `${base}${version}/`;
  const signal = options.signal;
  const total = source.bytes;
  let done = 0;
  const report = (message: string) => options.onProgress?.({ bytesDone: done, bytesTotal: total, message });
  const copied: string[] = [];
  try {
    report(`Uploading ${source.files.length} files to a staging folder`);
    await forEachLimited(source.files, PARALLEL_TRANSFERS, signal, async (f) => {
      const key = staging + f.relPath;
      await ops.upload(f.localPath, key, f.bytes, (delta) => { done += delta; report(`Uploading ${f.relPath}`); }, signal);
    });
    report(`Copying into version ${version}`);
    const rest = source.files.filter((f) => f.relPath !== source.graphFile);
    const copyOne = async (f: PublishFile) => {
      copied.push(target + f.relPath);
      await ops.copy(staging + f.relPath, target + f.relPath, signal);
    };
    await forEachLimited(rest, PARALLEL_TRANSFERS * 2, signal, copyOne);
    // Only now can a poll see a loadable version: the graph file goes last.
    const graph = source.files.find((f) => f.relPath === source.graphFile)!;
    throwIfAborted(signal);
    await copyOne(graph);
  } catch (e) {
    const reason = signal?.aborted ? 'cancelled' : `failed: ${errorText(e)}`;
    const cleaned = await cleanUp(ops, target, staging, copied.length > 0);
    const hint = e instanceof StoreError ? e.hint : undefined;
    throw new StoreError(`Publishing version ${version} to ${ops.repository}/${base} ${reason}. ${cleaned}`, hint, signal?.aborted ? 'Cancelled' : (e as StoreError).code);
  }
  // The version is complete; staging leftovers are only clutter, so a failure here is not a publish failure.
  try {
    await ops.deleteKeys(await ops.listKeys(staging));
  } catch { /* TF Serving ignores the non-numeric staging folder; the next publish is unaffected. */ }
  return { versionPrefix: target, files: source.files.length, bytes: total };
}

async function cleanUp(ops: BucketObjectOps, target: string, staging: string, copiedAny: boolean): Promise<string> {
  const parts: string[] = [];
  try {
    // List rather than trust our bookkeeping: a copy the server finished after the abort is still found.
    const numeric = await ops.listKeys(target);
    if (numeric.length) await ops.deleteKeys(numeric);
    parts.push(numeric.length || copiedAny ? `Removed ${numeric.length} object(s) already copied into ${target}` : `Nothing had reached ${target}`);
  } catch (e) {
    return `Cleanup FAILED: objects may remain under ${target} and ${staging} (${errorText(e)}); delete that version before serving.`;
  }
  try {
    const stagedKeys = await ops.listKeys(staging);
    if (stagedKeys.length) await ops.deleteKeys(stagedKeys);
    parts.push(`removed ${stagedKeys.length} staged object(s) under ${staging}`);
  } catch (e) {
    parts.push(`could not remove the staging folder ${staging} (${errorText(e)}); TF Serving ignores it, delete it when convenient`);
  }
  return parts.join('; ') + '. No numbered version was left behind.';
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StoreError('Cancelled.', undefined, 'Cancelled');
}

/** Runs fn over items, at most `limit` at a time; stops starting new work on the first failure or abort, and waits
 *  for work in flight to settle before rejecting so that cleanup sees a quiet bucket. */
export async function forEachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      if (signal?.aborted) { failure ??= new StoreError('Cancelled.', undefined, 'Cancelled'); break; }
      const item = items[next++];
      try { await fn(item); } catch (e) { failure ??= e; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
