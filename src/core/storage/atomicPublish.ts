// Safe publish into a bucket, shared by the S3 and GCS stores. TF Serving loads any numeric folder it sees on its
// next poll, so a version must stay invisible until every byte is in, and then appear with the graph file
// (saved_model.pb / model.tflite) LAST, since TF Serving cannot load a folder without it. Each file travels one of two
// ways, and the version appears only when both kinds are complete:
// - hidden upload (S3 multipart, for files big enough to need parts): sent straight to `<model>/<version>/…`; an
//   unfinished multipart upload is in no listing, and completing it is the reveal. No data is copied.
// - staged (small files, and stores without hidden uploads): uploaded under a staging prefix TF Serving ignores
//   (non-numeric), revealed by a server-side copy; the staging objects are deleted at the end.
// On failure or abort, whatever reached the numeric prefix is deleted first, then the unfinished uploads are aborted
// and the staging objects deleted, and the error says what was cleaned.
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
  /** Optional: an upload that stays invisible until committed (S3 multipart), written straight to its final key. */
  beginUpload?(localPath: string, key: string, bytes: number, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<PendingUpload>;
  /** Files at least this big use beginUpload, smaller ones are staged (for S3 one PUT + one copy is fewer requests
   *  than a three-request multipart upload, and copying a small object is cheap). Default 0: every file. */
  readonly hiddenUploadMinBytes?: number;
}

/** A fully uploaded object that no listing shows yet. */
export interface PendingUpload {
  readonly key: string;
  /** Makes the object appear (CompleteMultipartUpload, or the copy out of staging). */
  commit(): Promise<void>;
  /** Drops an unfinished hidden upload (AbortMultipartUpload); absent for staged files, whose cleanup is by listing. */
  discard?(): Promise<void>;
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
  const target = `${base}${version}/`;
  const staging = `${base}.staging-${version}-${randomBytes(4).toString('hex')}/`;
  const signal = options.signal;
  let done = 0;
  const report = (message: string) => options.onProgress?.({ bytesDone: done, bytesTotal: source.bytes, message });
  const hidden = (f: PublishFile) => ops.beginUpload !== undefined && f.bytes >= (ops.hiddenUploadMinBytes ?? 0);
  const staged = source.files.filter((f) => !hidden(f));
  const pending = new Map<PublishFile, PendingUpload>();
  let revealing = false;
  try {
    report(`Uploading ${source.files.length} files (version ${version} stays hidden until every file is in)`);
    await forEachLimited(source.files, PARALLEL_TRANSFERS, signal, async (f) => {
      const onBytes = (delta: number) => { done += delta; report(`Uploading ${f.relPath}`); };
      pending.set(f, hidden(f)
        ? await ops.beginUpload!(f.localPath, target + f.relPath, f.bytes, onBytes, signal)
        : await stage(ops, f, staging, target, onBytes, signal));
    });
    report(`Making version ${version} visible (graph file last)`);
    revealing = true;
    const reveal = async (f: PublishFile) => {
      const upload = pending.get(f)!;
      pending.delete(f);
      try {
        await upload.commit();
      } catch (e) {
        // Usually the upload is still open; if the completion did land, cleanup finds and deletes the object.
        await upload.discard?.().catch(() => undefined);
        throw e;
      }
    };
    const graph = source.files.find((f) => f.relPath === source.graphFile)!;
    await forEachLimited(source.files.filter((f) => f !== graph), PARALLEL_TRANSFERS * 2, signal, reveal);
    // Only now can a poll see a loadable version: the graph file goes last.
    throwIfAborted(signal);
    await reveal(graph);
  } catch (e) {
    const reason = signal?.aborted ? 'cancelled' : `failed: ${errorText(e)}`;
    const cleaned = await cleanUp(ops, target, revealing, async () => {
      const notes: string[] = [];
      if (staged.length < source.files.length) notes.push(await discardAll([...pending.values()]));
      if (staged.length) notes.push(await removeStaging(ops, staging));
      return notes.join('; ');
    });
    const hint = e instanceof StoreError ? e.hint : undefined;
    throw new StoreError(`Publishing version ${version} to ${ops.repository}/${base} ${reason}. ${cleaned}`, hint, signal?.aborted ? 'Cancelled' : (e as StoreError).code);
  }
  // The version is complete; staging leftovers are only clutter, so a failure here is not a publish failure.
  if (staged.length) {
    try {
      // Every staged upload finished, so the keys are known: no listing needed.
      await ops.deleteKeys(staged.map((f) => staging + f.relPath));
    } catch { /* TF Serving ignores the non-numeric staging folder; the next publish is unaffected. */ }
  }
  return { versionPrefix: target, files: source.files.length, bytes: source.bytes };
}

/** A staged file: uploaded under the staging prefix now, copied into the version on reveal. */
async function stage(ops: BucketObjectOps, f: PublishFile, staging: string, target: string, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<PendingUpload> {
  await ops.upload(f.localPath, staging + f.relPath, f.bytes, onBytes, signal);
  return { key: target + f.relPath, commit: () => ops.copy(staging + f.relPath, target + f.relPath) };
}

async function discardAll(pending: PendingUpload[]): Promise<string> {
  const hidden = pending.filter((u) => u.discard);
  let failed = 0;
  await Promise.all(hidden.map((u) => u.discard!().catch(() => { failed++; })));
  const text = `aborted ${hidden.length - failed} unfinished upload(s), which never became objects`;
  return failed
    ? `${text}; ${failed} could not be aborted — invisible to TF Serving, but the bucket keeps their parts until a lifecycle rule (AbortIncompleteMultipartUpload) removes them`
    : text;
}

async function removeStaging(ops: BucketObjectOps, staging: string): Promise<string> {
  try {
    // Listed, not remembered: a small PUT cut off client-side may still have landed.
    const stagedKeys = await ops.listKeys(staging);
    if (stagedKeys.length) await ops.deleteKeys(stagedKeys);
    return `removed ${stagedKeys.length} staged object(s) under ${staging}`;
  } catch (e) {
    return `could not remove the staging folder ${staging} (${errorText(e)}); TF Serving ignores it, delete it when convenient`;
  }
}

/** After a failure: delete whatever reached the numeric prefix first (that is what a poll could load), then the
 *  unfinished uploads and staging objects, and say what was cleaned. */
async function cleanUp(ops: BucketObjectOps, target: string, revealing: boolean, thenCleanUp: () => Promise<string>): Promise<string> {
  let removed: string | undefined;
  let failure: string | undefined;
  try {
    // List rather than trust our bookkeeping: a copy or completion the server finished after the abort is found.
    const numeric = await ops.listKeys(target);
    if (numeric.length) await ops.deleteKeys(numeric);
    removed = numeric.length || revealing ? `Removed ${numeric.length} object(s) already in ${target}` : `Nothing had reached ${target}`;
  } catch (e) {
    failure = `Cleanup FAILED: objects may remain under ${target} (${errorText(e)}); delete that version before serving`;
  }
  const other = await thenCleanUp();
  return failure ? `${failure}. Also ${other}.` : `${removed}; ${other}. No numbered version was left behind.`;
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
