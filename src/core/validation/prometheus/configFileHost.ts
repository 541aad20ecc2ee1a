// The files a prometheus.yml names (scrape_config_files, *_file keys), read through one small interface so the
// checks stay pure: the CLI and the editor pass the local file system, unit tests an in-memory map.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

export interface ConfigFileHost {
  dirname(path: string): string;
  resolve(dir: string, path: string): string;
  relative(dir: string, path: string): string;
  exists(path: string): boolean;
  readText(path: string): string | undefined;
  /** Files matching a path whose last segment may hold * wildcards, sorted. */
  glob(pattern: string): string[];
}

/** A glob of the last path segment (Prometheus allows * only there), as a RegExp. */
export function segmentPattern(segment: string): RegExp {
  return new RegExp(`^${segment.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

export const localFileHost: ConfigFileHost = {
  dirname: (p) => dirname(resolve(p)),
  resolve: (dir, p) => (isAbsolute(p) ? p : join(dir, p)),
  relative: (dir, p) => relative(dir, p),
  exists: (p) => existsSync(p),
  readText: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  glob: (pattern) => {
    const name = basename(pattern);
    if (!name.includes('*')) return existsSync(pattern) ? [pattern] : [];
    const dir = dirname(pattern);
    try {
      const re = segmentPattern(name);
      return readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
    } catch {
      return [];
    }
  },
};
