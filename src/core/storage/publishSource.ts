// What a publish reads from disk: a SavedModel folder or a .tflite file, with one rule for symbolic links that every
// store shares. A link that resolves inside the model folder is followed once (its target's bytes are published under
// the link's name); a link that leaves the folder, dangles, or leads back into a folder that contains it (a loop) is
// refused, and the error lists every such link — a publish never carries files from outside the model folder, never
// recurses forever, and never drops a link silently.
import { promises as fs } from 'fs';
import * as path from 'path';
import { StoreError } from './modelStore';

export interface PublishFile {
  /** The file to read (for a followed link: its target). */
  readonly localPath: string;
  /** Path inside the version folder, '/' separated. */
  readonly relPath: string;
  readonly bytes: number;
}

export interface PublishSource {
  readonly format: 'savedmodel' | 'tflite';
  /** Every file; the graph file is among them. */
  readonly files: PublishFile[];
  /** The file that makes the version loadable; revealed last. */
  readonly graphFile: string;
  readonly bytes: number;
}

/** Reads and validates what the user picked: a SavedModel folder, or a .tflite file (which becomes model.tflite). */
export async function scanPublishSource(source: string): Promise<PublishSource> {
  let stat;
  try {
    stat = await fs.stat(source);
  } catch {
    throw new StoreError(`Cannot publish ${source}: it does not exist.`, 'Pick a SavedModel folder or a .tflite file.');
  }
  if (stat.isFile()) {
    if (!source.toLowerCase().endsWith('.tflite')) {
      throw new StoreError(`Cannot publish ${source}: a single file must be a .tflite model.`, 'Pick a SavedModel folder (saved_model.pb + variables/) or a .tflite file.');
    }
    return { format: 'tflite', files: [{ localPath: source, relPath: 'model.tflite', bytes: stat.size }], graphFile: 'model.tflite', bytes: stat.size };
  }
  if (!stat.isDirectory()) throw new StoreError(`Cannot publish ${source}: it is neither a folder nor a file (a device, pipe or socket), so there is nothing to publish.`, 'Pick a SavedModel folder or a .tflite file.');
  const root = await fs.realpath(source);
  const walk: Walk = { root, files: [], refused: [], folders: new Set() };
  await walkFolder(walk, root, '', [root]);
  if (walk.refused.length) {
    const shown = walk.refused.slice(0, 20).map((r) => `${r.relPath} -> ${r.target} (${r.why})`);
    const more = walk.refused.length > shown.length ? `, and ${walk.refused.length - shown.length} more` : '';
    throw new StoreError(`Cannot publish ${source}: ${walk.refused.length} symbolic link(s) cannot be published: ${shown.join('; ')}${more}. Nothing was published.`,
      'Links are followed only when they point at a file or folder inside the model folder (and not back into a folder that contains them). Copy what they point at into the model folder, or remove them.');
  }
  const files = walk.files;
  const names = new Set(files.map((f) => f.relPath));
  const graphFile = names.has('saved_model.pb') ? 'saved_model.pb' : names.has('saved_model.pbtxt') ? 'saved_model.pbtxt' : undefined;
  const hasVariables = walk.folders.has('variables');
  const missing = [...(graphFile ? [] : ['saved_model.pb']), ...(hasVariables ? [] : ['variables/'])];
  if (missing.length) {
    throw new StoreError(`Cannot publish ${source}: it is not a SavedModel folder (missing ${missing.join(' and ')}).`,
      'Pick the folder that contains saved_model.pb and variables/ (the one tf.saved_model.save wrote), or a .tflite file.');
  }
  return { format: 'savedmodel', files, graphFile: graphFile!, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

interface Walk {
  readonly root: string;
  readonly files: PublishFile[];
  readonly refused: { relPath: string; target: string; why: string }[];
  /** Folder paths seen (relative, '/' separated), e.g. 'variables'. */
  readonly folders: Set<string>;
}

/** `ancestors`: real paths of the folders from the root down to `dir`; a linked folder among them is a loop. */
async function walkFolder(walk: Walk, dir: string, rel: string, ancestors: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk.folders.add(childRel);
      const real = path.join(ancestors[ancestors.length - 1], e.name);
      await walkFolder(walk, full, childRel, [...ancestors, real]);
    } else if (e.isFile()) {
      walk.files.push({ localPath: full, relPath: childRel, bytes: (await fs.stat(full)).size });
    } else if (e.isSymbolicLink()) {
      await followLink(walk, full, childRel, ancestors);
    }
    // Sockets, FIFOs and devices are not model files; TF Serving would not read them either.
  }
}

async function followLink(walk: Walk, full: string, rel: string, ancestors: string[]): Promise<void> {
  const target = await fs.readlink(full).catch(() => '?');
  let real: string;
  try {
    real = await fs.realpath(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    walk.refused.push({ relPath: rel, target, why: code === 'ELOOP' ? 'a loop of links' : 'points to nothing' });
    return;
  }
  if (real !== walk.root && !real.startsWith(walk.root + path.sep)) {
    walk.refused.push({ relPath: rel, target, why: 'outside the model folder' });
    return;
  }
  const st = await fs.stat(real);
  if (st.isFile()) {
    walk.files.push({ localPath: real, relPath: rel, bytes: st.size });
  } else if (st.isDirectory()) {
    if (ancestors.some((a) => a === real || a.startsWith(real + path.sep))) {
      walk.refused.push({ relPath: rel, target, why: 'a loop: it leads back into a folder that contains it' });
      return;
    }
    walk.folders.add(rel);
    await walkFolder(walk, real, rel, [...ancestors, real]);
  }
}
