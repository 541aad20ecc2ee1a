// Safe publish into a bucket, shared by the S3 and GCS stores. TF Serving loads any numeric folder it sees on its
// next poll, so a version must stay invisible until every byte is in, and then appear with the graph file
// (saved_model.pb / model.tflite) LAST, since TF Serving cannot load a folder without it. The steps:
// 1. claim: `<model>/.staging-<v>/claim.json` is created create-only, so two publishes never share a version; the
//    claim is a lease the publisher renews (publishLease.ts).
// 2. upload: big files as hidden uploads (S3 multipart, sent straight to `<model>/<v>/…`; an unfinished multipart
//    upload is in no listing; each upload id is recorded in staging so a rollback can abort it), the rest staged under
//    `<model>/.staging-<v>/files/` (TF Serving ignores non-numeric folders).
// 3. journal: once every byte is in, `journal.json` says how to reveal each file; from here another process can
//    finish the reveal if this one dies (bucketRepair.ts).
// 4. reveal: complete the uploads and copy the staged files in, the graph file last; then remove staging, claim last
//    (a racing publish that claims the number afterwards sees the version and moves on).
// A failure or cancel in this process deletes whatever reached the numeric prefix, aborts the unfinished uploads and
// removes staging, and the error says what was cleaned. A process killed outright is repaired on the model's next touch.
import { errorText } from '../errorText';
import { StoreError, type PublishOptions } from './modelStore';
import { parseVersionFolder } from '../model/versionRules';
import type { PublishFile, PublishSource } from './publishSource';
import { CLAIM_FILE, JOURNAL_FILE, LEASE_RENEW_MS, STAGED_FILES, describeOwner, leaseIsLive, newLease, parseLease, renewLease, stagingFolder, type PublishLease } from './publishLease';
import { repairBucketModel, repairBucketStaging } from './bucketRepair';

/** Key-level operations on one bucket; each store supplies them through its SDK. */
export interface BucketObjectOps {
  /** The repository as the user knows it (e.g. `s3://bucket/models`), for messages. */
  readonly repository: string;
  upload(localPath: string, key: string, bytes: number, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<void>;
  copy(sourceKey: string, destKey: string, signal?: AbortSignal): Promise<void>;
  /** Every object below prefix (prefix ends with '/'), recursively. */
  listObjects(prefix: string): Promise<{ key: string; lastModified?: Date }[]>;
  /** Folder names one level below prefix (prefix ends with '/', or '' for the bucket root). */
  listFolderNames(prefix: string): Promise<string[]>;
  deleteKeys(keys: string[]): Promise<void>;
  /** A small object's text, or undefined when there is none. */
  read(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
  /** Create-only write (S3 If-None-Match: *, GCS ifGenerationMatch: 0): 'exists' when the key is already there.
   *  A server that ignores the condition answers 'created' twice; publish checks for that. */
  putIfAbsent(key: string, body: string): Promise<'created' | 'exists'>;
  /** Optional: an upload that stays invisible until committed (S3 multipart), written straight to its final key.
   *  `onStarted` is awaited with the upload's id before any byte is sent. */
  beginUpload?(localPath: string, key: string, bytes: number, onBytes: (delta: number) => void, onStarted: (uploadId: string) => Promise<void>, signal?: AbortSignal): Promise<PendingUpload>;
  /** Completes a hidden upload from its journal entry (another process's, after a crash). */
  completeUpload?(key: string, uploadId: string, parts: string[]): Promise<void>;
  abortUpload?(key: string, uploadId: string): Promise<void>;
  /** Unfinished hidden uploads below prefix, when the server can list them. */
  listUnfinishedUploads?(prefix: string): Promise<{ key: string; uploadId: string; initiated?: Date }[]>;
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
  /** For the journal: how another process completes this upload. Absent for staged files. */
  readonly hidden?: { uploadId: string; parts: string[] };
}

/** What the reveal does, written before it starts. */
export interface PublishJournal {
  readonly id: string;
  readonly version: number;
  readonly graphFile: string;
  readonly files: { relPath: string; key: string; upload?: { uploadId: string; parts: string[] } }[];
}

/** Records the id of a hidden upload as soon as it exists, so a rollback can abort it on any server. */
export const UPLOAD_RECORDS = 'uploads';

const PARALLEL_TRANSFERS = 4;
/** How many numbers a defaulted publish tries when the ones it wanted are taken. */
const MAX_NEXT_FREE = 20;

export interface BucketPublishResult {
  readonly version: number;
  readonly versionPrefix: string;
  readonly files: number;
  readonly bytes: number;
  readonly notes: string[];
}

/** modelPrefix: the model's key prefix without trailing slash ('' = bucket root). */
export async function publishToBucket(ops: BucketObjectOps, source: PublishSource, modelPrefix: string, version: number, options: PublishOptions = {}): Promise<BucketPublishResult> {
  if (!Number.isSafeInteger(version) || version < 0) throw new StoreError(`Version must be a whole number ≥ 0, not ${version}.`);
  const base = modelPrefix ? `${modelPrefix}/` : '';
  // Publishing is a touch of the model: dead publishes are finished or rolled back first.
  // A repair that fails is noted, not fatal: this publish claims its own number either way.
  const notes = (await repairBucketModel(ops, base).catch((e) => [{ outcome: 'failed', message: `Could not repair interrupted publishes: ${errorText(e)}` }]))
    .filter((r) => r.outcome !== 'live').map((r) => r.message);
  let claim: Claim | undefined;
  let firstTaken: string | undefined;
  for (let v = version; !claim; v++) {
    const attempt = await claimVersion(ops, base, v);
    if (attempt.claim) {
      claim = attempt.claim;
      if (v !== version) notes.push(`Version ${version} was taken (${firstTaken}); published as version ${v}.`);
      break;
    }
    firstTaken ??= attempt.taken;
    if (!options.nextFreeIfTaken || v - version >= MAX_NEXT_FREE) {
      throw new StoreError(`Version ${v} ${attempt.taken}; publishing never overwrites or shares a version (${ops.repository}/${base}).`,
        options.nextFreeIfTaken ? 'Publish again: the next number is taken by then.' : 'Pick a higher version number (the default is the latest + 1), or delete that version first.', 'VersionTaken');
    }
  }
  if (!claim.conditionalWrites) {
    notes.push(`${ops.repository} ignores create-only writes (If-None-Match / ifGenerationMatch), so the claim of version ${claim.lease.version} was checked by reading it back; two publishes started within the same second could still collide.`);
  }
  const result = await uploadAndReveal(ops, source, base, claim, options);
  return { ...result, notes };
}

/** Renews the claim's lease while the publish works; stop() waits for a renewal in flight, so that removing the
 *  staging folder afterwards cannot be undone by a late renewal. */
function renewWhileWorking(ops: BucketObjectOps, claim: Claim): { stop(): Promise<void> } {
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    claim.lease = renewLease(claim.lease);
    inFlight = ops.put(claim.key, JSON.stringify(claim.lease)).catch(() => undefined);
  }, LEASE_RENEW_MS);
  timer.unref?.();
  return { stop: async () => { clearInterval(timer); await inFlight; } };
}

interface Claim {
  readonly key: string;
  readonly staging: string;
  lease: PublishLease;
  readonly conditionalWrites: boolean;
}

/** Claims version v: create-only write of its claim, then a check that the folder did not appear meanwhile. */
async function claimVersion(ops: BucketObjectOps, base: string, v: number): Promise<{ claim?: Claim; taken?: string }> {
  const existing = async () => (await ops.listFolderNames(base)).find((n) => parseVersionFolder(n) === v);
  const before = await existing();
  if (before !== undefined) return { taken: `already exists in ${ops.repository}/${base}${before}/` };
  const staging = `${base}${stagingFolder(v)}/`;
  const key = staging + CLAIM_FILE;
  const lease = newLease(v);
  const body = JSON.stringify(lease);
  // Looked at first, then written create-only: on a server that ignores the condition, the look is what keeps a
  // live claim from being overwritten.
  let present = (await ops.read(key)) !== undefined;
  for (let tries = 0; tries < 3; tries++) {
    if (present || (await ops.putIfAbsent(key, body)) === 'exists') {
      present = false;
      const holder = parseLease((await ops.read(key)) ?? '');
      if (!holder) continue; // gone meanwhile (its publish just finished or was rolled back): try again
      if (leaseIsLive(holder)) return { taken: `is being published by another publish (${describeOwner(holder)})` };
      await repairBucketStaging(ops, base, stagingFolder(v), 'auto');
      if ((await existing()) !== undefined) return { taken: 'was just finished from an interrupted publish' };
      continue;
    }
    // The same create-only write again must be refused; a server that accepts it ignores the condition.
    const conditionalWrites = (await ops.putIfAbsent(key, body)) === 'exists';
    if (!conditionalWrites) {
      // Last writer wins on such a server: wait out a racing writer, then see whose claim stands.
      await new Promise((r) => setTimeout(r, 500));
      const holder = parseLease((await ops.read(key)) ?? '');
      if (holder?.id !== lease.id) return { taken: holder ? `is being published by another publish (${describeOwner(holder)})` : 'is being claimed by another publish' };
    }
    if ((await existing()) !== undefined) {
      await ops.deleteKeys([key]);
      return { taken: 'was published by another publish meanwhile' };
    }
    return { claim: { key, staging, lease, conditionalWrites } };
  }
  return { taken: 'is being claimed by another publish' };
}

async function uploadAndReveal(ops: BucketObjectOps, source: PublishSource, base: string, claim: Claim, options: PublishOptions): Promise<Omit<BucketPublishResult, 'notes'>> {
  const version = claim.lease.version;
  const target = `${base}${version}/`;
  const staging = claim.staging;
  const signal = options.signal;
  let done = 0;
  const report = (message: string) => options.onProgress?.({ bytesDone: done, bytesTotal: source.bytes, message });
  const hidden = (f: PublishFile) => ops.beginUpload !== undefined && f.bytes >= (ops.hiddenUploadMinBytes ?? 0);
  const pending = new Map<PublishFile, PendingUpload>();
  let revealing = false;
  const renewal = renewWhileWorking(ops, claim);
  try {
    report(`Uploading ${source.files.length} files (version ${version} stays hidden until every file is in)`);
    let uploadNo = 0;
    await forEachLimited(source.files, PARALLEL_TRANSFERS, signal, async (f) => {
      const onBytes = (delta: number) => { done += delta; report(`Uploading ${f.relPath}`); };
      const record = `${staging}${UPLOAD_RECORDS}/${uploadNo++}.json`;
      pending.set(f, hidden(f)
        ? await ops.beginUpload!(f.localPath, target + f.relPath, f.bytes, onBytes, (uploadId) => ops.put(record, JSON.stringify({ key: target + f.relPath, uploadId })), signal)
        : await stage(ops, f, staging, target, onBytes, signal));
    });
    throwIfAborted(signal);
    const journal: PublishJournal = {
      id: claim.lease.id, version, graphFile: source.graphFile,
      files: source.files.map((f) => ({ relPath: f.relPath, key: target + f.relPath, ...(pending.get(f)!.hidden ? { upload: pending.get(f)!.hidden } : {}) })),
    };
    await ops.put(staging + JOURNAL_FILE, JSON.stringify(journal));
    // A publisher that stalled past its lease may have been rolled back by another process: never reveal then.
    if (parseLease((await ops.read(claim.key)) ?? '')?.id !== claim.lease.id) {
      throw new StoreError(`Lost the claim on version ${version}: this publish was idle longer than its lease and another process took over.`, 'Publish again.', 'ClaimLost');
    }
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
    if (e instanceof StoreError && e.code === 'ClaimLost') { await renewal.stop(); throw e; }
    await renewal.stop();
    const reason = signal?.aborted ? 'cancelled' : `failed: ${errorText(e)}`;
    const cleaned = await cleanUp(ops, target, revealing, async () => {
      const notes: string[] = [];
      if (source.files.some(hidden)) notes.push(await discardAll([...pending.values()]));
      notes.push(await removeStaging(ops, staging));
      return notes.join('; ');
    });
    const hint = e instanceof StoreError ? e.hint : undefined;
    throw new StoreError(`Publishing version ${version} to ${ops.repository}/${base} ${reason}. ${cleaned}`, hint, signal?.aborted ? 'Cancelled' : (e as StoreError).code);
  }
  // The version is complete; staging leftovers are only clutter (the next touch removes them), so a failure here is
  // not a publish failure.
  await renewal.stop();
  await removeStaging(ops, staging).catch(() => undefined);
  return { version, versionPrefix: target, files: source.files.length, bytes: source.bytes };
}

/** A staged file: uploaded under the staging prefix now, copied into the version on reveal. */
async function stage(ops: BucketObjectOps, f: PublishFile, staging: string, target: string, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<PendingUpload> {
  const staged = `${staging}${STAGED_FILES}/${f.relPath}`;
  await ops.upload(f.localPath, staged, f.bytes, onBytes, signal);
  return { key: target + f.relPath, commit: () => ops.copy(staged, target + f.relPath) };
}

async function discardAll(pending: PendingUpload[]): Promise<string> {
  const hidden = pending.filter((u) => u.discard);
  let failed = 0;
  await Promise.all(hidden.map((u) => u.discard!().catch(() => { failed++; })));
  const text = `aborted ${hidden.length - failed} unfinished upload(s), which never became objects`;
  return failed
    ? `${text}; ${failed} could not be aborted — invisible to TF Serving; the model's next touch (listing, publish, Repair Model) aborts them`
    : text;
}

/** Deletes a staging folder, its claim last (while the claim stands, nobody else publishes that version). */
export async function removeStaging(ops: BucketObjectOps, staging: string): Promise<string> {
  try {
    // Listed, not remembered: a small PUT cut off client-side may still have landed.
    // The journal goes after the staged files and the claim last, so a removal cut off midway leaves a state the
    // next touch reads right: journal present = finish the reveal, claim alone = only the claim to remove.
    const keys = (await ops.listObjects(staging)).map((o) => o.key);
    const claim = staging + CLAIM_FILE;
    const journal = staging + JOURNAL_FILE;
    await ops.deleteKeys(keys.filter((k) => k !== claim && k !== journal));
    for (const last of [journal, claim]) if (keys.includes(last)) await ops.deleteKeys([last]);
    return `removed ${keys.length} staging object(s) under ${staging}`;
  } catch (e) {
    return `could not remove the staging folder ${staging} (${errorText(e)}); TF Serving ignores it, and the model's next touch removes it`;
  }
}

/** After a failure: delete whatever reached the numeric prefix first (that is what a poll could load), then the
 *  unfinished uploads and staging objects, and say what was cleaned. */
async function cleanUp(ops: BucketObjectOps, target: string, revealing: boolean, thenCleanUp: () => Promise<string>): Promise<string> {
  let removed: string | undefined;
  let failure: string | undefined;
  try {
    // List rather than trust our bookkeeping: a copy or completion the server finished after the abort is found.
    const numeric = (await ops.listObjects(target)).map((o) => o.key);
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
