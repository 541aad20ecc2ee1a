// A small in-memory bucket for unit tests of listing logic: keys → sizes, delimiter and recursive listings paged
// like S3 (lexicographic keys, a page limit), and a count of list requests.
import type { ModelLocation } from '../../src/core/location';
import type { ListOptions, ModelStore, Page, StoreEntry } from '../../src/core/storage/modelStore';

export class MemoryBucket implements Pick<ModelStore, 'scheme' | 'listChildren' | 'listFiles' | 'readFile'> {
  readonly scheme = 's3' as const;
  readonly objects = new Map<string, Uint8Array>();
  requests = 0;

  constructor(readonly pageLimit = 1000) {}

  put(key: string, body: Uint8Array | string = 'x'): this {
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
    return this;
  }

  private sortedKeys(prefix: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async listChildren(loc: ModelLocation, options: ListOptions = {}): Promise<Page<StoreEntry>> {
    this.requests++;
    const base = loc.path ? `${loc.path}/` : '';
    const entries: StoreEntry[] = [];
    const seen = new Set<string>();
    for (const key of this.sortedKeys(base + (options.prefix ?? ''))) {
      const rest = key.slice(base.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (seen.has(name)) continue;
      seen.add(name);
      entries.push(slash < 0 ? { name, kind: 'file', bytes: this.objects.get(key)!.length } : { name, kind: 'folder' });
    }
    const start = options.pageToken ? Number(options.pageToken) : 0;
    const end = start + Math.min(options.pageSize ?? this.pageLimit, this.pageLimit);
    return { items: entries.slice(start, end), nextToken: end < entries.length ? String(end) : undefined };
  }

  async listFiles(loc: ModelLocation): Promise<StoreEntry[]> {
    const base = loc.path ? `${loc.path}/` : '';
    const keys = this.sortedKeys(base);
    this.requests += Math.max(1, Math.ceil(keys.length / this.pageLimit));
    return keys.map((k) => ({ name: k.slice(base.length), kind: 'file', bytes: this.objects.get(k)!.length }));
  }

  async readFile(loc: ModelLocation): Promise<Uint8Array> {
    const body = this.objects.get(loc.path);
    if (!body) throw new Error(`no such key ${loc.path}`);
    return body;
  }
}
