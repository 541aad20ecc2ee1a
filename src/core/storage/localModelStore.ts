// ModelStore over the local filesystem. Publish copies into a hidden folder beside the versions and renames it,
// so a polling server never sees a half-written version (localPublish.ts).
import { promises as fs } from 'fs';
import * as path from 'path';
import type { ModelLocation } from '../location';
import { childLocation } from '../location';
import type { ListOptions, ModelStore, Page, PublishInProgress, PublishOptions, PublishResult, RepairOptions, RepairOutcome, StoreEntry, TransferOptions } from './modelStore';
import { StoreError } from './modelStore';
import { versionNumberProblem } from '../names';
import { scanPublishSource } from './publishSource';
import { listLocalPublishes, publishLocal, repairLocalModel } from './localPublish';

export class LocalModelStore implements ModelStore {
  readonly scheme = 'file' as const;

  async listChildren(loc: ModelLocation, options: ListOptions = {}): Promise<Page<StoreEntry>> {
    const dirents = await readDir(loc.path);
    const names = dirents
      .filter((d) => !options.prefix || d.name.startsWith(options.prefix))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    const start = options.pageToken ? Number(options.pageToken) : 0;
    const end = options.pageSize ? start + options.pageSize : names.length;
    const items: StoreEntry[] = [];
    for (const d of names.slice(start, end)) {
      const full = path.join(loc.path, d.name);
      const st = await fs.stat(full).catch(() => undefined);
      if (!st) continue; // vanished or dangling link: nothing a server could load either
      items.push(st.isDirectory()
        ? { name: d.name, kind: 'folder', lastModified: st.mtime }
        : { name: d.name, kind: 'file', bytes: st.size, lastModified: st.mtime });
    }
    return { items, nextToken: end < names.length ? String(end) : undefined };
  }

  async listFiles(loc: ModelLocation): Promise<StoreEntry[]> {
    const out: StoreEntry[] = [];
    // Links are followed as TF Serving follows them, but a folder that leads back into one that contains it (a version
    // folder linked to `.`, `variables/loop -> ..`) is not entered again: listing never recurses forever.
    const walk = async (dir: string, rel: string, ancestors: string[]): Promise<void> => {
      for (const d of await readDir(dir)) {
        const full = path.join(dir, d.name);
        const relName = rel ? `${rel}/${d.name}` : d.name;
        const st = await fs.stat(full).catch(() => undefined);
        if (!st) continue;
        if (st.isDirectory()) {
          const real = d.isSymbolicLink() ? await fs.realpath(full).catch(() => undefined) : path.join(ancestors[ancestors.length - 1], d.name);
          if (!real || ancestors.some((a) => a === real || a.startsWith(real + path.sep))) continue;
          await walk(full, relName, [...ancestors, real]);
        } else out.push({ name: relName, kind: 'file', bytes: st.size, lastModified: st.mtime });
      }
    };
    await walk(loc.path, '', [await fs.realpath(loc.path).catch(() => path.resolve(loc.path))]);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async readFile(loc: ModelLocation): Promise<Uint8Array> {
    try {
      return await fs.readFile(loc.path);
    } catch (e) {
      throw toStoreError(e, loc.path);
    }
  }

  async publish(source: string, modelLoc: ModelLocation, version: number, options: PublishOptions = {}): Promise<PublishResult> {
    // 1e20 would become folder "100000000000000000000", which TF Serving cannot read as an int64.
    const badVersion = versionNumberProblem(version);
    if (badVersion) throw new StoreError(badVersion, 'Give a version number TF Serving can read, or leave --version out to take the next one.');
    const scanned = await scanPublishSource(source);
    const result = await publishLocal(modelLoc.path, scanned, version, options);
    return { version: result.version, location: childLocation(modelLoc, String(result.version)), files: scanned.files.length, bytes: scanned.bytes, notes: result.notes };
  }

  listPublishes(modelLoc: ModelLocation): Promise<PublishInProgress[]> {
    return listLocalPublishes(modelLoc.path);
  }

  repair(modelLoc: ModelLocation, options?: RepairOptions): Promise<RepairOutcome[]> {
    return repairLocalModel(modelLoc.path, options);
  }

  async download(loc: ModelLocation, destDir: string, options: TransferOptions = {}): Promise<{ files: number; bytes: number }> {
    const files = await this.listFiles(loc);
    const total = files.reduce((s, f) => s + (f.bytes ?? 0), 0);
    let done = 0;
    for (const f of files) {
      if (options.signal?.aborted) throw new StoreError('Download cancelled.');
      const dest = path.join(destDir, ...f.name.split('/'));
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.copyFile(path.join(loc.path, ...f.name.split('/')), dest, fs.constants.COPYFILE_EXCL).catch((e) => {
        throw e.code === 'EEXIST' ? new StoreError(`${dest} already exists.`, 'Download into an empty folder; nothing was overwritten.') : toStoreError(e, dest);
      });
      done += f.bytes ?? 0;
      options.onProgress?.({ bytesDone: done, bytesTotal: total, message: f.name });
    }
    return { files: files.length, bytes: total };
  }

  async delete(loc: ModelLocation): Promise<number> {
    const files = await this.listFiles(loc);
    await fs.rm(loc.path, { recursive: true, force: true });
    return files.length;
  }
}

async function readDir(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw toStoreError(e, dir);
  }
}

function toStoreError(e: unknown, where: string): StoreError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new StoreError(`${where} does not exist.`, 'Check the path, or create the folder first.', code);
  if (code === 'EACCES' || code === 'EPERM') return new StoreError(`No permission to read ${where}.`, 'Fix the folder permissions or pick another folder.', code);
  if (code === 'ENOTDIR') return new StoreError(`${where} is not a folder.`, 'A repository must be a folder holding one folder per model.', code);
  return new StoreError(`${where}: ${(e as Error)?.message ?? String(e)}`, undefined, code);
}
