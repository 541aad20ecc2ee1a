// Where a new warmup file goes, decided once for the editor and the CLI. A local version gets the file in place
// (TF Serving reads it on the next load of that version). A bucket version becomes a new version — the old one
// plus the file, through the same atomic publish — because a server that already loaded a version never re-reads it.
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { baseName, displayLocation, parentLocation, type ModelLocation } from '../location';
import { nextVersionNumber } from '../model/modelRepository';
import type { ModelStore, PublishResult } from '../storage/modelStore';
import { writeWarmupFile } from './versionWarmup';
import { WARMUP_FILE } from './warmupFile';
import { WarmupError } from './warmupRequests';

export type WarmupPlacement = 'in-place' | 'new-version';

/** How a version gets its warmup file: in place for local folders, a new version in a bucket. */
export function warmupPlacement(version: ModelLocation): WarmupPlacement {
  return version.scheme === 'file' ? 'in-place' : 'new-version';
}

export type AddedWarmup =
  | { readonly placement: 'in-place'; readonly file: string; readonly replaced: boolean }
  | { readonly placement: 'new-version'; readonly published: PublishResult; readonly from: number };

export interface AddWarmupOptions {
  /** Replace a local version's warmup file (otherwise an existing one is kept and the call refused). */
  readonly replace?: boolean;
  readonly signal?: AbortSignal;
}

export async function addWarmupToVersion(store: ModelStore, version: ModelLocation, bytes: Uint8Array, options: AddWarmupOptions = {}): Promise<AddedWarmup> {
  if (warmupPlacement(version) === 'in-place') {
    const existing = await store.listFiles(version).then((files) => files.some((f) => f.name === WARMUP_FILE), () => false);
    if (existing && !options.replace) {
      throw new WarmupError(`${displayLocation(version)} already has ${WARMUP_FILE}; it was left as it is.`, 'Choose to replace it (--force in the CLI), or write elsewhere with --out.');
    }
    return { placement: 'in-place', file: await writeWarmupFile(version.path, bytes), replaced: existing };
  }
  const from = Number(baseName(version));
  const model = parentLocation(version);
  const work = await mkdtemp(path.join(os.tmpdir(), 'tfss-warmup-'));
  try {
    const copy = path.join(work, 'version');
    await store.download(version, copy, { signal: options.signal });
    await writeWarmupFile(copy, bytes);
    const published = await store.publish(copy, model, await nextVersionNumber(store, model), { signal: options.signal, nextFreeIfTaken: true });
    return { placement: 'new-version', published, from };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
