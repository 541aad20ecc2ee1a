// The next touch of a bucket model after a publish died (kill -9, power cut, lost network): from what the dead
// publish left in `<model>/.staging-<v>/`, finish its reveal when the journal says every byte is in, or roll it back,
// and say which. Unfinished multipart uploads that no live publish owns are aborted. A publish whose lease is live is
// never touched: it may be running on another machine.
import { errorText } from '../errorText';
import { StoreError, type PublishInProgress, type RepairAction, type RepairOptions, type RepairOutcome } from './modelStore';
import { parseVersionFolder } from '../model/versionRules';
import { CLAIM_FILE, JOURNAL_FILE, LEASE_MS, STAGED_FILES, describeOwner, leaseIsLive, parseLease, parseStagingFolder, unclaimedIsDead } from './publishLease';
import { UPLOAD_RECORDS, removeStaging, type BucketObjectOps, type PublishJournal } from './atomicPublish';

interface StagingState {
  readonly folder: string;
  readonly version: number;
  readonly keys: string[];
  readonly live: boolean;
  readonly owner?: string;
  readonly journal?: PublishJournal;
}

async function readStaging(ops: BucketObjectOps, base: string, folder: string): Promise<StagingState | undefined> {
  const parsed = parseStagingFolder(folder);
  if (!parsed) return undefined;
  const prefix = `${base}${folder}/`;
  const objects = await ops.listObjects(prefix);
  const keys = objects.map((o) => o.key);
  const lease = keys.includes(prefix + CLAIM_FILE) ? parseLease((await ops.read(prefix + CLAIM_FILE)) ?? '') : undefined;
  const newest = objects.reduce<Date | undefined>((m, o) => (o.lastModified && (!m || o.lastModified > m) ? o.lastModified : m), undefined);
  const live = lease ? leaseIsLive(lease) : !unclaimedIsDead(newest) && objects.length > 0;
  let journal: PublishJournal | undefined;
  if (keys.includes(prefix + JOURNAL_FILE)) {
    try { journal = JSON.parse((await ops.read(prefix + JOURNAL_FILE)) ?? '') as PublishJournal; } catch { journal = undefined; }
  }
  return { folder, version: parsed.version, keys, live, owner: lease ? describeOwner(lease) : undefined, journal };
}

export async function listBucketPublishes(ops: BucketObjectOps, base: string): Promise<PublishInProgress[]> {
  const out: PublishInProgress[] = [];
  for (const folder of await ops.listFolderNames(base)) {
    const s = await readStaging(ops, base, folder);
    if (s) out.push({ version: s.version, phase: s.journal ? 'revealing' : 'uploading', live: s.live, owner: s.owner });
  }
  return out.sort((a, b) => a.version - b.version);
}

/** Repairs every dead publish of the model at `base` (a key prefix ending with '/', or ''). */
export async function repairBucketModel(ops: BucketObjectOps, base: string, options: RepairOptions = {}): Promise<RepairOutcome[]> {
  // Unfinished uploads are listed BEFORE the claims: an upload listed here was started after its claim was written,
  // so a live publish's claim is surely seen below and its uploads are spared.
  const unfinished = ops.listUnfinishedUploads && options.version === undefined ? await ops.listUnfinishedUploads(base).catch(() => []) : [];
  const outcomes: RepairOutcome[] = [];
  const liveVersions = new Set<number>();
  const repairedVersions = new Set<number>();
  for (const folder of await ops.listFolderNames(base)) {
    const parsed = parseStagingFolder(folder);
    if (!parsed || (options.version !== undefined && parsed.version !== options.version)) continue;
    const outcome = await repairBucketStaging(ops, base, folder, options.action ?? 'auto');
    if (outcome) {
      (outcome.outcome === 'live' ? liveVersions : repairedVersions).add(parsed.version);
      outcomes.push(outcome);
    }
  }
  const orphans = unfinished.filter((u) => {
    const version = parseVersionFolder(u.key.slice(base.length).split('/')[0]);
    // Every publish of this tool claims its version before it starts an upload, so an upload under a version with no
    // live claim is dead; the age check spares publishes of earlier releases, which had no claim.
    const old = !u.initiated || Date.now() - u.initiated.getTime() > LEASE_MS;
    return version !== undefined && !liveVersions.has(version) && (old || repairedVersions.has(version));
  });
  if (orphans.length && ops.abortUpload) {
    let aborted = 0;
    for (const u of orphans) await ops.abortUpload(u.key, u.uploadId).then(() => { aborted++; }, () => undefined);
    const versions = [...new Set(orphans.map((u) => parseVersionFolder(u.key.slice(base.length).split('/')[0])!))];
    outcomes.push({ version: versions[0], outcome: 'cleaned', message: `Aborted ${aborted} unfinished multipart upload(s) under version(s) ${versions.join(', ')} that no live publish owns (invisible, but billed until aborted).` });
  }
  return outcomes;
}

/** Finishes or rolls back the publish behind one staging folder; undefined when there is nothing there. */
export async function repairBucketStaging(ops: BucketObjectOps, base: string, folder: string, action: RepairAction): Promise<RepairOutcome | undefined> {
  const s = await readStaging(ops, base, folder);
  if (!s || !s.keys.length) return undefined;
  const v = s.version;
  if (s.live) {
    if (action !== 'auto') {
      throw new StoreError(`The publish of version ${v} is still live (${s.owner ?? 'recent staging activity'}); it was left alone.`, 'Wait until it finishes, or until its lease expires, then try again.', 'PublishLive');
    }
    return { version: v, outcome: 'live', message: `Version ${v} is being published (${s.owner ?? 'recent staging activity'}).` };
  }
  const prefix = `${base}${folder}/`;
  const target = `${base}${v}/`;
  const chosen = action === 'auto' ? (s.journal ? 'resume' : 'rollBack') : action;
  if (chosen === 'resume' && !s.journal) {
    throw new StoreError(`Cannot resume the publish of version ${v}: its upload had not finished, so some bytes never reached the bucket.`, 'Roll it back and publish again.', 'CannotResume');
  }
  if (chosen === 'resume') {
    const revealed = await finishReveal(ops, prefix, target, s.journal!);
    await cleanStaging(ops, prefix);
    return { version: v, outcome: 'finished', message: `Finished the interrupted publish of version ${v}: every byte was already in, ${revealed} object(s) revealed (graph file last).` };
  }
  // Roll back: abort the hidden uploads the publish recorded, remove what its reveal had made visible, then staging.
  const aborted = await abortRecordedUploads(ops, prefix, s);
  let removed = 0;
  if (s.journal) {
    const ours = new Set(s.journal.files.map((f) => f.key));
    const visible = (await ops.listObjects(target)).map((o) => o.key).filter((k) => ours.has(k));
    await ops.deleteKeys(visible);
    removed = visible.length;
  }
  await cleanStaging(ops, prefix);
  const parsed = parseStagingFolder(folder)!;
  if (parsed.legacy) {
    return { version: v, outcome: 'cleaned', message: `Removed the staging folder ${prefix} (${s.keys.length} object(s)) left by an earlier publish of version ${v} that died.` };
  }
  if (!s.journal && !aborted && s.keys.every((k) => k === prefix + CLAIM_FILE)) {
    return { version: v, outcome: 'cleaned', message: `Removed the claim on version ${v} left by a publish that died (nothing of it was in staging).` };
  }
  return {
    version: v, outcome: 'rolledBack',
    message: `Rolled back the interrupted publish of version ${v}${s.journal ? '' : ' (its upload had not finished)'}: ${removed ? `removed ${removed} object(s) from ${target}, ` : ''}aborted ${aborted} unfinished upload(s) and removed ${s.keys.length} staging object(s); no numbered version was left.`,
  };
}

/** Reveals what the journal lists and the bucket does not show yet, graph file last; returns how many. */
async function finishReveal(ops: BucketObjectOps, prefix: string, target: string, journal: PublishJournal): Promise<number> {
  const present = new Set((await ops.listObjects(target)).map((o) => o.key));
  const todo = journal.files.filter((f) => !present.has(f.key));
  const reveal = async (f: PublishJournal['files'][number]) => {
    if (f.upload) {
      if (!ops.completeUpload) throw new StoreError('This store cannot complete hidden uploads.');
      try {
        await ops.completeUpload(f.key, f.upload.uploadId, f.upload.parts);
      } catch (e) {
        // Another repairer may have completed it a moment ago.
        if (!(await ops.listObjects(f.key)).some((o) => o.key === f.key)) throw new StoreError(`Cannot finish ${f.key}: ${errorText(e)}`);
      }
    } else {
      await ops.copy(`${prefix}${STAGED_FILES}/${f.relPath}`, f.key);
    }
  };
  const graph = todo.filter((f) => f.relPath === journal.graphFile);
  for (const f of todo.filter((x) => x.relPath !== journal.graphFile)) await reveal(f);
  for (const f of graph) await reveal(f);
  return todo.length;
}

async function abortRecordedUploads(ops: BucketObjectOps, prefix: string, s: StagingState): Promise<number> {
  if (!ops.abortUpload) return 0;
  const uploads = new Map<string, string>();
  for (const key of s.keys.filter((k) => k.startsWith(`${prefix}${UPLOAD_RECORDS}/`))) {
    try {
      const r = JSON.parse((await ops.read(key)) ?? '') as { key: string; uploadId: string };
      uploads.set(r.uploadId, r.key);
    } catch { /* a record cut off mid-write: its upload is found by listing, where the server can list */ }
  }
  for (const f of s.journal?.files ?? []) if (f.upload) uploads.set(f.upload.uploadId, f.key);
  let aborted = 0;
  for (const [uploadId, key] of uploads) await ops.abortUpload(key, uploadId).then(() => { aborted++; }, () => undefined);
  return aborted;
}

async function cleanStaging(ops: BucketObjectOps, prefix: string): Promise<void> {
  const note = await removeStaging(ops, prefix);
  if (note.startsWith('could not')) throw new StoreError(note);
}
