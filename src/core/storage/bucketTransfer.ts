// What the S3 and GCS stores share when moving objects: key prefixes, safe local paths, folder names over every
// page of a level, and downloading a listed set of objects with byte progress. Each store supplies only how to stream one object, inside its own error mapping.
import { createWriteStream, promises as fs } from 'fs';
import * as path from 'path';
import { Transform, type Readable } from 'stream';
import { pipeline } from 'stream/promises';
import type { ModelLocation } from '../location';
import { StoreError, type ModelStore, type StoreEntry, type TransferOptions } from './modelStore';
import { forEachLimited } from './atomicPublish';

export function prefixOf(loc: ModelLocation): string {
  return loc.path ? `${loc.path}/` : '';
}

/** Folder names one level below `prefix` (a key prefix ending with '/', or ''), following every page. */
export async function listAllFolderNames(store: Pick<ModelStore, 'listChildren'>, loc: ModelLocation, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.listChildren({ ...loc, path: prefix.replace(/\/$/, '') }, { pageToken: token });
    names.push(...page.items.filter((i) => i.kind === 'folder').map((i) => i.name));
    token = page.nextToken;
  } while (token);
  return names;
}

/** Joins a listed relative name under dir, refusing names that would escape it (`..`, absolute). */
export function safeJoin(dir: string, rel: string): string {
  const dest = path.resolve(dir, ...rel.split('/'));
  const root = path.resolve(dir);
  if (dest !== root && !dest.startsWith(root + path.sep)) throw new StoreError(`Refusing to write "${rel}" outside ${dir}.`);
  return dest;
}

/**
 * Downloads `files` (names relative to the listed prefix) into destDir, four at a time, reporting bytes.
 * `fetch(name, write)` opens the object's stream and hands it to `write`, which stores it; the store wraps both in its
 * own error mapping.
 */
export async function downloadObjects(
  files: readonly StoreEntry[],
  destDir: string,
  options: TransferOptions,
  fetch: (name: string, write: (source: Readable) => Promise<void>) => Promise<void>,
): Promise<{ files: number; bytes: number }> {
  const total = files.reduce((n, f) => n + (f.bytes ?? 0), 0);
  let done = 0;
  await forEachLimited(files, 4, options.signal, async (f) => {
    const dest = safeJoin(destDir, f.name);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fetch(f.name, async (source) => {
      const counter = new Transform({ transform(chunk: Buffer, _e, cb) { done += chunk.length; options.onProgress?.({ bytesDone: done, bytesTotal: total, message: f.name }); cb(null, chunk); } });
      await pipeline(source, counter, createWriteStream(dest), { signal: options.signal });
    });
  });
  return { files: files.length, bytes: total };
}
