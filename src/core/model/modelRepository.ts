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
  /** Totals over every file in the version, when measured (local folders always; buckets on request). */
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
  /** Also total up every file of each version (one recursive listing per version). */
  readonly measure?: boolean;
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

/** Validity of one version from a one-level listing (used when a bucket version is expanded). */
export async function checkVersion(store: ModelStore, version: ModelVersion): Promise<ModelVersion> {
  const top = await store.listChildren(version.location);
  return { ...version, ...checkVersionFiles(top.items.map((e) => e.name)), unchecked: false };
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
    if (options.check === 'untilValid' && seenValid && !options.measure) {
      versions.push({ valid: true, missing: [], unchecked: true, version, folder: entry.name, location, lastModified: entry.lastModified });
      continue;
    }
    const described = await describeVersion(store, location, entry, version, options.measure ?? false);
    seenValid ||= described.valid;
    versions.push(described);
  }
  versions.reverse();
  const loadable = versions.filter((v) => v.valid && !v.unchecked);
  return { versions, ignored, servedByDefault: loadable.length ? loadable[loadable.length - 1].version : undefined, nextToken: page.nextToken };
}

async function describeVersion(store: ModelStore, location: ModelLocation, entry: StoreEntry, version: number, measure: boolean): Promise<ModelVersion> {
  if (measure) {
    const files = await store.listFiles(location);
    const validity = checkVersionFiles(files.map((f) => f.name));
    const newest = files.reduce<Date | undefined>((m, f) => (f.lastModified && (!m || f.lastModified > m) ? f.lastModified : m), undefined);
    return { ...validity, version, folder: entry.name, location, bytes: files.reduce((s, f) => s + (f.bytes ?? 0), 0), objects: files.length, lastModified: newest ?? entry.lastModified };
  }
  // One level is enough to judge validity (saved_model.pb beside variables/, or model.tflite).
  const top = await store.listChildren(location);
  return { ...checkVersionFiles(top.items.map((e) => e.name)), version, folder: entry.name, location, lastModified: entry.lastModified };
}
