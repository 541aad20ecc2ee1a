// Safe publish into a local model folder, and the repair of publishes that died there. The version is claimed by
// an exclusive mkdir of `<model>/.staging-<v>/` (two publishes never share a number), filled under its `files/`,
// journaled, and revealed by one rename of `files/` to `<model>/<v>` — atomic on one filesystem, so a polling server
// sees the whole version or none of it, whenever the process dies. The next touch of the model removes what a dead
// publish left (or, when it died between the journal and the rename, finishes it).
import { promises as fs } from 'fs';
import * as path from 'path';
import { StoreError, type PublishInProgress, type PublishOptions, type RepairOptions, type RepairOutcome } from './modelStore';
import { parseVersionFolder } from '../model/versionRules';
import type { PublishSource } from './publishSource';
import { CLAIM_FILE, JOURNAL_FILE, LEASE_RENEW_MS, STAGED_FILES, describeOwner, leaseIsLive, newLease, parseLease, parseStagingFolder, renewLease, stagingFolder, unclaimedIsDead, type PublishLease } from './publishLease';

const MAX_NEXT_FREE = 20;

export interface LocalPublishResult {
  readonly version: number;
  readonly dir: string;
  readonly notes: string[];
}

export async function publishLocal(modelDir: string, source: PublishSource, version: number, options: PublishOptions = {}): Promise<LocalPublishResult> {
  if (!Number.isSafeInteger(version) || version < 0) throw new StoreError(`Version must be a whole number ≥ 0, not ${version}.`);
  await fs.mkdir(modelDir, { recursive: true });
  // A repair that fails is noted, not fatal: this publish claims its own number either way.
  const notes = (await repairLocalModel(modelDir).catch((e) => [{ outcome: 'failed', message: `Could not repair interrupted publishes: ${(e as Error)?.message ?? e}` }]))
    .filter((r) => r.outcome !== 'live').map((r) => r.message);
  let claimed: { staging: string; lease: PublishLease } | undefined;
  let v = version;
  let firstTaken: string | undefined;
  for (; ; v++) {
    const attempt = await claimLocal(modelDir, v);
    if (attempt.staging) { claimed = { staging: attempt.staging, lease: attempt.lease! }; break; }
    firstTaken ??= attempt.taken;
    if (!options.nextFreeIfTaken || v - version >= MAX_NEXT_FREE) {
      throw new StoreError(`Version ${v} ${attempt.taken}; publishing never overwrites or shares a version (${modelDir}).`,
        options.nextFreeIfTaken ? 'Publish again: the next number is taken by then.' : 'Pick another version number (the default is the latest + 1), or delete that version first.', 'VersionTaken');
    }
  }
  if (v !== version) notes.push(`Version ${version} was taken (${firstTaken}); published as version ${v}.`);
  const { staging } = claimed;
  let lease = claimed.lease;
  const renew = setInterval(() => { lease = renewLease(lease); void writeClaim(staging, lease).catch(() => undefined); }, LEASE_RENEW_MS);
  renew.unref?.();
  const target = path.join(modelDir, String(v));
  const files = path.join(staging, STAGED_FILES);
  let bytesDone = 0;
  try {
    // The graph file last, as on buckets (the rename reveals everything at once, but progress reads the same).
    const ordered = [...source.files.filter((f) => f.relPath !== source.graphFile), ...source.files.filter((f) => f.relPath === source.graphFile)];
    for (const f of ordered) {
      if (options.signal?.aborted) throw new StoreError('Publish cancelled.', 'Nothing was published; the staging folder was removed.', 'Cancelled');
      const dest = path.join(files, ...f.relPath.split('/'));
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.copyFile(f.localPath, dest);
      bytesDone += f.bytes;
      options.onProgress?.({ bytesDone, bytesTotal: source.bytes, message: f.relPath });
    }
    await fs.writeFile(path.join(staging, JOURNAL_FILE), JSON.stringify({ id: lease.id, version: v, graphFile: source.graphFile }));
    clearInterval(renew);
    await fs.rename(files, target).catch((e) => {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
        throw new StoreError(`Version ${v} appeared in ${modelDir} while this publish was running (another program wrote ${target}); nothing was overwritten and this publish was rolled back.`,
          'Publish again: it takes the next free version.', 'VersionTaken');
      }
      throw e;
    });
  } catch (e) {
    clearInterval(renew);
    await removeLocalStaging(staging);
    throw e instanceof StoreError ? e : new StoreError(`Publishing version ${v} to ${modelDir} failed: ${(e as Error)?.message ?? e}. The staging folder was removed; nothing numbered was left.`, undefined, (e as NodeJS.ErrnoException)?.code);
  }
  await removeLocalStaging(staging);
  return { version: v, dir: target, notes };
}

async function existingVersion(modelDir: string, v: number): Promise<string | undefined> {
  return (await fs.readdir(modelDir)).find((n) => parseVersionFolder(n) === v);
}

async function claimLocal(modelDir: string, v: number): Promise<{ staging?: string; lease?: PublishLease; taken?: string }> {
  const before = await existingVersion(modelDir, v);
  if (before !== undefined) return { taken: `already exists in ${modelDir}` };
  const staging = path.join(modelDir, stagingFolder(v));
  for (let tries = 0; tries < 3; tries++) {
    try {
      // Exclusive: of two publishes racing for the number, exactly one creates the folder.
      await fs.mkdir(staging);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const state = await readLocalStaging(modelDir, stagingFolder(v));
      if (state?.live) return { taken: `is being published by another publish (${state.owner ?? 'claim being written'})` };
      await repairLocalStaging(modelDir, stagingFolder(v), 'auto');
      if ((await existingVersion(modelDir, v)) !== undefined) return { taken: 'was just finished from an interrupted publish' };
      continue;
    }
    const lease = newLease(v);
    await writeClaim(staging, lease);
    if ((await existingVersion(modelDir, v)) !== undefined) {
      await removeLocalStaging(staging);
      return { taken: 'was published by another publish meanwhile' };
    }
    return { staging, lease };
  }
  return { taken: 'is being claimed by another publish' };
}

/** Written aside and renamed in, so a reader never sees half a claim. */
async function writeClaim(staging: string, lease: PublishLease): Promise<void> {
  const tmp = path.join(staging, `${CLAIM_FILE}.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(lease));
  await fs.rename(tmp, path.join(staging, CLAIM_FILE));
}

/** The journal and files first, the claim last: while the claim stands, nobody else publishes the number. */
async function removeLocalStaging(staging: string): Promise<void> {
  await fs.rm(path.join(staging, STAGED_FILES), { recursive: true, force: true });
  for (const name of await fs.readdir(staging).catch(() => [] as string[])) {
    if (name !== CLAIM_FILE) await fs.rm(path.join(staging, name), { recursive: true, force: true });
  }
  await fs.rm(staging, { recursive: true, force: true });
}

interface LocalStagingState {
  readonly version: number;
  readonly live: boolean;
  readonly owner?: string;
  readonly journal: boolean;
  readonly files: boolean;
}

async function readLocalStaging(modelDir: string, folder: string): Promise<LocalStagingState | undefined> {
  const parsed = parseStagingFolder(folder);
  if (!parsed) return undefined;
  const dir = path.join(modelDir, folder);
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) return undefined;
  const lease = parseLease(await fs.readFile(path.join(dir, CLAIM_FILE), 'utf8').catch(() => ''));
  const exists = (name: string) => fs.stat(path.join(dir, name)).then(() => true, () => false);
  return {
    version: parsed.version,
    live: lease ? leaseIsLive(lease) : !unclaimedIsDead(st.mtime),
    owner: lease ? describeOwner(lease) : undefined,
    journal: await exists(JOURNAL_FILE),
    files: await exists(STAGED_FILES),
  };
}

export async function listLocalPublishes(modelDir: string): Promise<PublishInProgress[]> {
  const out: PublishInProgress[] = [];
  for (const name of await fs.readdir(modelDir).catch(() => [] as string[])) {
    const s = await readLocalStaging(modelDir, name);
    if (s) out.push({ version: s.version, phase: s.journal && s.files ? 'revealing' : 'uploading', live: s.live, owner: s.owner });
  }
  return out.sort((a, b) => a.version - b.version);
}

export async function repairLocalModel(modelDir: string, options: RepairOptions = {}): Promise<RepairOutcome[]> {
  const out: RepairOutcome[] = [];
  for (const name of await fs.readdir(modelDir).catch(() => [] as string[])) {
    const parsed = parseStagingFolder(name);
    if (!parsed || (options.version !== undefined && parsed.version !== options.version)) continue;
    const outcome = await repairLocalStaging(modelDir, name, options.action ?? 'auto');
    if (outcome) out.push(outcome);
  }
  return out;
}

async function repairLocalStaging(modelDir: string, folder: string, action: 'auto' | 'resume' | 'rollBack'): Promise<RepairOutcome | undefined> {
  const s = await readLocalStaging(modelDir, folder);
  if (!s) return undefined;
  const v = s.version;
  const staging = path.join(modelDir, folder);
  if (s.live) {
    if (action !== 'auto') throw new StoreError(`The publish of version ${v} is still live (${s.owner ?? 'its claim is being written'}); it was left alone.`, 'Wait until it finishes, or until its lease expires, then try again.', 'PublishLive');
    return { version: v, outcome: 'live', message: `Version ${v} is being published (${s.owner ?? 'claim being written'}).` };
  }
  const existing = await existingVersion(modelDir, v);
  const canResume = s.journal && s.files && existing === undefined;
  const chosen = action === 'auto' ? (canResume ? 'resume' : 'rollBack') : action;
  if (chosen === 'resume') {
    if (!canResume) throw new StoreError(`Cannot resume the publish of version ${v}: ${existing !== undefined ? 'the version already exists' : 'its copy had not finished'}.`, 'Roll it back and publish again.', 'CannotResume');
    await fs.rename(path.join(staging, STAGED_FILES), path.join(modelDir, String(v)));
    await removeLocalStaging(staging);
    return { version: v, outcome: 'finished', message: `Finished the interrupted publish of version ${v}: every byte was already copied, the version folder was put in place.` };
  }
  await removeLocalStaging(staging);
  if (parseStagingFolder(folder)!.legacy) {
    return { version: v, outcome: 'cleaned', message: `Removed ${staging}, left by an earlier release's publish of version ${v} that died.` };
  }
  if (!s.files || existing !== undefined) {
    return { version: v, outcome: 'cleaned', message: `Removed ${staging}, left by a publish of version ${v} that died${existing !== undefined ? ' after its version was in place' : ' before copying anything'}.` };
  }
  return { version: v, outcome: 'rolledBack', message: `Rolled back the interrupted publish of version ${v}${s.journal ? '' : ' (its upload had not finished)'}: removed ${staging}; no numbered version was left.` };
}
