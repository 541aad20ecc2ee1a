// Repository → models → versions, in TF Serving's terms, over any ModelStore.
import type { ModelLocation } from '../location';
import { childLocation } from '../location';
import type { ModelStore, StoreEntry } from '../storage/modelStore';
import { checkVersionFiles, ignoredFolderReason, parseVersionFolder, type VersionValidity } from './versionRules';

export interface ModelVersion extends VersionValidity {
  readonly version: number;
  /** The folder name as stored (e.g. "00000123"). */
  readonly folder: string;
  readonly location: ModelLocation;
  /** Totals over every file in the version, once its files were listed (not for unchecked versions). */
  readonly bytes?: number;
  readonly objects?: number;
  readonly lastModified?: Date;
  /** True when validity was not checked (bucket listings check only down to the first loadable version). */
  readonly unchecked?: boolean;
}

export interface IgnoredFolder {
  readonly folder: string;
  readonly reason: string;
}

export interface VersionListing {
  /** Ascending by version number. */
  readonly versions: ModelVersion[];
  readonly ignored: IgnoredFolder[];
  /** The version TF Serving loads by default: the highest valid one. */
  readonly servedByDefault?: number;
  readonly nextToken?: string;
}

export interface VersionListOptions {
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** Only version folders whose names start with this. */
  readonly prefix?: string;
  /**
   * 'all' checks every version (one listing each); 'untilValid' checks from the highest down to the first loadable
   * one — enough to know what the server loads — so a bucket model with many versions costs two requests, not N+1.
   */
  readonly check?: 'all' | 'untilValid';
}

export async function listModels(store: ModelStore, repo: ModelLocation, options: { pageSize?: number; pageToken?: string; prefix?: string } = {}) {
  const page = await store.listChildren(repo, options);
  return {
    models: page.items.filter((e) => e.kind === 'folder' && !e.name.startsWith('.')).map((e) => ({ name: e.name, location: childLocation(repo, e.name) })),
    nextToken: page.nextToken,
  };
}

/** Every item of a paged listing, following continuation tokens to the end. */
export async function collectPages<T>(fetchPage: (pageToken: string | undefined) => Promise<{ readonly items: readonly T[]; readonly nextToken?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    out.push(...page.items);
    token = page.nextToken;
  } while (token);
  return out;
}

/** Every numbered folder's version (valid or not), ascending, over every page of the model's level. */
export async function listVersionNumbers(store: Pick<ModelStore, 'listChildren'>, model: ModelLocation): Promise<number[]> {
  const entries = await collectPages((pageToken) => store.listChildren(model, { pageToken }));
  return entries.flatMap((e) => {
    const v = e.kind === 'folder' ? parseVersionFolder(e.name) : undefined;
    return v === undefined ? [] : [v];
  }).sort((a, b) => a - b);
}

/** The version a new publish takes by default: one above the highest numbered folder, valid or not. */
export async function nextVersionNumber(store: Pick<ModelStore, 'listChildren'>, model: ModelLocation): Promise<number> {
  return ((await listVersionNumbers(store, model)).at(-1) ?? 0) + 1;
}

/** Validity (and size) of one version, from the listing of its files (used when a bucket version is expanded). */
export async function checkVersion(store: ModelStore, version: ModelVersion): Promise<ModelVersion> {
  const files = await store.listFiles(version.location);
  return { ...version, ...measuredVersion(files), unchecked: false };
}

/**
 * Every version of a model with its validity, bytes and object count. One recursive listing of the model answers
 * it all: it takes ceil(objects / page size) requests, never more than a delimiter listing plus one listing per
 * version (each of which is at least one request). Local folders also read the top level, for empty version folders.
 */
export async function listAllVersions(store: ModelStore, model: ModelLocation): Promise<Omit<VersionListing, 'nextToken'>> {
  const byFolder = new Map<string, StoreEntry[]>();
  for (const f of await store.listFiles(model)) {
    const slash = f.name.indexOf('/');
    if (slash < 0) continue; // a file beside the versions
    const folder = f.name.slice(0, slash);
    const list = byFolder.get(folder) ?? [];
    list.push({ ...f, name: f.name.slice(slash + 1) });
    byFolder.set(folder, list);
  }
  if (store.scheme === 'file') {
    for (const e of await collectPages((pageToken) => store.listChildren(model, { pageToken }))) {
      if (e.kind === 'folder' && !byFolder.has(e.name)) byFolder.set(e.name, []);
    }
  }
  const versions: ModelVersion[] = [];
  const ignored: IgnoredFolder[] = [];
  for (const [folder, files] of byFolder) {
    const version = parseVersionFolder(folder);
    if (version === undefined) ignored.push({ folder, reason: ignoredFolderReason(folder) });
    else versions.push({ ...measuredVersion(files), version, folder, location: childLocation(model, folder) });
  }
  versions.sort((a, b) => a.version - b.version);
  ignored.sort((a, b) => a.folder.localeCompare(b.folder));
  return { versions, ignored, servedByDefault: versions.filter((v) => v.valid).at(-1)?.version };
}

/** Validity, bytes, object count and newest modification of a version, from its files (names relative to it). */
function measuredVersion(files: readonly StoreEntry[]): VersionValidity & Pick<ModelVersion, 'bytes' | 'objects' | 'lastModified'> {
  const newest = files.reduce<Date | undefined>((m, f) => (f.lastModified && (!m || f.lastModified > m) ? f.lastModified : m), undefined);
  return { ...checkVersionFiles(files.map((f) => f.name)), bytes: files.reduce((s, f) => s + (f.bytes ?? 0), 0), objects: files.length, ...(newest ? { lastModified: newest } : {}) };
}

export async function listVersions(store: ModelStore, model: ModelLocation, options: VersionListOptions = {}): Promise<VersionListing> {
  const page = await store.listChildren(model, { pageSize: options.pageSize, pageToken: options.pageToken, prefix: options.prefix });
  const found: { entry: StoreEntry; version: number }[] = [];
  const ignored: IgnoredFolder[] = [];
  for (const entry of page.items) {
    if (entry.kind !== 'folder') continue;
    const version = parseVersionFolder(entry.name);
    if (version === undefined) ignored.push({ folder: entry.name, reason: ignoredFolderReason(entry.name) });
    else found.push({ entry, version });
  }
  found.sort((a, b) => b.version - a.version);
  const versions: ModelVersion[] = [];
  let seenValid = false;
  for (const { entry, version } of found) {
    const location = childLocation(model, entry.name);
    if (options.check === 'untilValid' && seenValid) {
      versions.push({ valid: true, missing: [], unchecked: true, version, folder: entry.name, location, lastModified: entry.lastModified });
      continue;
    }
    // Listing the version's files costs as much as listing its top level (one request up to a page of objects)
    // and also gives its size.
    const described: ModelVersion = { ...measuredVersion(await store.listFiles(location)), version, folder: entry.name, location };
    seenValid ||= described.valid;
    versions.push(described.lastModified ? described : { ...described, lastModified: entry.lastModified });
  }
  versions.reverse();
  const loadable = versions.filter((v) => v.valid && !v.unchecked);
  return { versions, ignored, servedByDefault: loadable.length ? loadable[loadable.length - 1].version : undefined, nextToken: page.nextToken };
}
