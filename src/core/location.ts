// Where a model repository, model, version or file lives. Every store, tree node and command speaks in
// ModelLocations so `file:`, `s3://` and `gs://` share one code path above the stores.
import * as path from 'path';
import { pathToFileURL, fileURLToPath } from 'url';

export type Scheme = 'file' | 's3' | 'gs';

export interface ModelLocation {
  readonly scheme: Scheme;
  /** Bucket name; empty for `file`. */
  readonly bucket: string;
  /** `file`: absolute filesystem path. Buckets: key prefix without leading or trailing slash ('' = bucket root). */
  readonly path: string;
}

export class LocationError extends Error {}

/** Parses a setting entry: a URI (`file:`, `s3://`, `gs://`) or a filesystem path, relative ones against baseDir. */
export function parseLocation(text: string, baseDir?: string): ModelLocation {
  const raw = text.trim();
  if (!raw) throw new LocationError('Empty repository location: give a folder path, file:// URI, s3://bucket/prefix or gs://bucket/prefix.');
  // A pasted line break or tab inside a location is a mistake, and it would reach keys, paths and commands.
  const control = /[\u0000-\u001f\u007f]/.exec(raw);
  if (control) {
    const what = control[0] === '\n' || control[0] === '\r' ? 'a line break' : control[0] === '\t' ? 'a tab' : `a control character (code ${control[0].charCodeAt(0)})`;
    throw new LocationError(`"${raw.slice(0, control.index)}…" contains ${what}; a model location is one line of plain characters. Retype it without the break.`);
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(raw);
  if (m && m[1].length > 1) {
    const scheme = m[1].toLowerCase();
    if (scheme === 'file') return { scheme: 'file', bucket: '', path: path.resolve(fileURLToPath(raw)) };
    if (scheme === 's3' || scheme === 'gs') {
      const rest = m[2];
      const slash = rest.indexOf('/');
      const bucket = slash < 0 ? rest : rest.slice(0, slash);
      if (!bucket) throw new LocationError(`"${raw}" has no bucket name: write ${scheme}://BUCKET/prefix.`);
      const prefix = slash < 0 ? '' : trimSlashes(rest.slice(slash + 1));
      return { scheme, bucket, path: prefix };
    }
    throw new LocationError(`Unsupported scheme "${scheme}" in "${raw}": use a folder path, file://, s3:// or gs://.`);
  }
  const base = baseDir ?? process.cwd();
  return { scheme: 'file', bucket: '', path: path.resolve(base, raw.replace(/^~(?=$|\/)/, process.env.HOME ?? '~')) };
}

export function formatLocation(loc: ModelLocation): string {
  if (loc.scheme === 'file') return pathToFileURL(loc.path).toString();
  return `${loc.scheme}://${loc.bucket}${loc.path ? '/' + loc.path : ''}`;
}

/** A short human form: the plain path for local folders, the URI for buckets. */
export function displayLocation(loc: ModelLocation): string {
  return loc.scheme === 'file' ? loc.path : formatLocation(loc);
}

export function childLocation(loc: ModelLocation, ...names: string[]): ModelLocation {
  if (loc.scheme === 'file') return { ...loc, path: path.join(loc.path, ...names) };
  const parts = [loc.path, ...names.map(trimSlashes)].filter((p) => p.length > 0);
  return { ...loc, path: parts.join('/') };
}

export function baseName(loc: ModelLocation): string {
  if (loc.scheme === 'file') return path.basename(loc.path);
  const i = loc.path.lastIndexOf('/');
  return i < 0 ? loc.path || loc.bucket : loc.path.slice(i + 1);
}

export function parentLocation(loc: ModelLocation): ModelLocation {
  if (loc.scheme === 'file') return { ...loc, path: path.dirname(loc.path) };
  const i = loc.path.lastIndexOf('/');
  return { ...loc, path: i < 0 ? '' : loc.path.slice(0, i) };
}

export function sameLocation(a: ModelLocation, b: ModelLocation): boolean {
  return a.scheme === b.scheme && a.bucket === b.bucket && a.path === b.path;
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
