// ModelStore over the local filesystem. Publish copies into a hidden folder beside the versions and renames it,
// so a polling server never sees a half-written version.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { ModelLocation } from '../location';
import { childLocation } from '../location';
import type { ListOptions, ModelStore, Page, PublishResult, StoreEntry, TransferOptions } from './modelStore';
import { StoreError } from './modelStore';
import { checkVersionFiles } from '../model/versionRules';
import { versionNumberProblem } from '../names';

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
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const d of await readDir(dir)) {
        const full = path.join(dir, d.name);
        const relName = rel ? `${rel}/${d.name}` : d.name;
        const st = await fs.stat(full).catch(() => undefined);
        if (!st) continue;
        if (st.isDirectory()) await walk(full, relName);
        else out.push({ name: relName, kind: 'file', bytes: st.size, lastModified: st.mtime });
      }
    };
    await walk(loc.path, '');
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async readFile(loc: ModelLocation): Promise<Uint8Array> {
    try {
      return await fs.readFile(loc.path);
    } catch (e) {
      throw toStoreError(e, loc.path);
    }
  }

  async publish(source: string, modelLoc: ModelLocation, version: number, options: TransferOptions = {}): Promise<PublishResult> {
    // 1e20 would become folder "100000000000000000000", which TF Serving cannot read as an int64.
    const badVersion = versionNumberProblem(version);
    if (badVersion) throw new StoreError(badVersion, 'Give a version number TF Serving can read, or leave --version out to take the next one.');
    const plan = await planLocalSource(source);
    const target = path.join(modelLoc.path, String(version));
    if (await exists(target)) {
      throw new StoreError(`Version ${version} already exists in ${modelLoc.path}.`, 'Pick another version number; published versions are never overwritten.');
    }
    // Same folder as the target so the final rename is atomic (same filesystem); the dot name is ignored by TF Serving.
    const staging = path.join(modelLoc.path, `.staging-${version}-${process.pid}-${Date.now()}`);
    let bytesDone = 0;
    try {
      await fs.mkdir(staging, { recursive: true });
      for (const f of plan.files) {
        if (options.signal?.aborted) throw new StoreError('Publish cancelled.', 'Nothing was published; the staging folder was removed.');
        const dest = path.join(staging, f.to);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await fs.copyFile(f.from, dest);
        bytesDone += f.bytes;
        options.onProgress?.({ bytesDone, bytesTotal: plan.bytes, message: f.to });
      }
      await fs.rename(staging, target);
    } catch (e) {
      await fs.rm(staging, { recursive: true, force: true });
      throw e instanceof StoreError ? e : toStoreError(e, target);
    }
    return { version, location: childLocation(modelLoc, String(version)), files: plan.files.length, bytes: plan.bytes };
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

interface SourcePlan {
  files: { from: string; to: string; bytes: number }[];
  bytes: number;
}

/** Checks a local SavedModel folder or .tflite file and lists what to copy, graph file last. */
export async function planLocalSource(source: string): Promise<SourcePlan> {
  const st = await fs.stat(source).catch(() => undefined);
  if (!st) throw new StoreError(`${source} does not exist.`, 'Pick a SavedModel folder or a .tflite file.');
  if (!st.isFile() && !st.isDirectory()) {
    throw new StoreError(`${source} is neither a folder nor a file (a device, pipe or socket), so there is nothing to publish.`, 'Pick a SavedModel folder or a .tflite file.');
  }
  if (st.isFile()) {
    if (!source.endsWith('.tflite')) throw new StoreError(`${source} is not a .tflite file.`, 'Pick a SavedModel folder (with saved_model.pb and variables/) or a .tflite file.');
    return { files: [{ from: source, to: 'model.tflite', bytes: st.size }], bytes: st.size };
  }
  const store = new LocalModelStore();
  const entries = await store.listFiles({ scheme: 'file', bucket: '', path: source });
  const validity = checkVersionFiles(entries.map((e) => e.name));
  if (!validity.valid) {
    throw new StoreError(`${source} is not a loadable model: missing ${validity.missing.join(', ')}.`, 'Pick the SavedModel folder itself (the one holding saved_model.pb), not its parent.');
  }
  const isGraph = (n: string) => n === 'saved_model.pb' || n === 'saved_model.pbtxt' || n === 'model.tflite';
  const ordered = [...entries.filter((e) => !isGraph(e.name)), ...entries.filter((e) => isGraph(e.name))];
  const files = ordered.map((e) => ({ from: path.join(source, ...e.name.split('/')), to: e.name, bytes: e.bytes ?? 0 }));
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0) };
}

async function readDir(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw toStoreError(e, dir);
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

function toStoreError(e: unknown, where: string): StoreError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new StoreError(`${where} does not exist.`, 'Check the path, or create the folder first.', code);
  if (code === 'EACCES' || code === 'EPERM') return new StoreError(`No permission to read ${where}.`, 'Fix the folder permissions or pick another folder.', code);
  if (code === 'ENOTDIR') return new StoreError(`${where} is not a folder.`, 'A repository must be a folder holding one folder per model.', code);
  return new StoreError(`${where}: ${(e as Error)?.message ?? String(e)}`, undefined, code);
}
