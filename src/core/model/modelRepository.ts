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
}

export async function listModels(store: ModelStore, repo: ModelLocation, options: { pageSize?: number; pageToken?: string; prefix?: string } = {}) {
  const page = await store.listChildren(repo, options);
  return {
    models: page.items.filter((e) => e.kind === 'folder' && !e.name.startsWith('.')).map((e) => ({ name: e.name, location: childLocation(repo, e.name) })),
    nextToken: page.nextToken,
  };
}

export async function listVersions(store: ModelStore, model: ModelLocation, options: VersionListOptions = {}): Promise<VersionListing> {
  const page = await store.listChildren(model, { pageSize: options.pageSize, pageToken: options.pageToken, prefix: options.prefix });
  const versions: ModelVersion[] = [];
  const ignored: IgnoredFolder[] = [];
  for (const entry of page.items) {
    if (entry.kind !== 'folder') continue;
    const version = parseVersionFolder(entry.name);
    if (version === undefined) {
      ignored.push({ folder: entry.name, reason: ignoredFolderReason(entry.name) });
      continue;
    }
    versions.push(await describeVersion(store, childLocation(model, entry.name), entry, version, options.measure ?? false));
  }
  versions.sort((a, b) => a.version - b.version);
  const loadable = versions.filter((v) => v.valid);
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
