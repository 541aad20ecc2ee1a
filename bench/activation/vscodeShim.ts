// The least `vscode` API an extension's activate() can run against outside an editor: real EventEmitter, Disposable,
// Uri and configuration defaults, and for everything else a stand-in that can be called, constructed, read and
// disposed and does nothing. Only for timing activation (bench/activation.bench.ts); no behaviour is checked here.
import * as fs from 'fs';
import * as path from 'path';

type Stub = ((...args: unknown[]) => Stub) & Record<string | symbol, unknown>;

function stub(): Stub {
  const cache = new Map<string | symbol, unknown>();
  const target = function () { /* stand-in */ } as unknown as Stub;
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined; // not a promise: `await stub` must not hang
      if (key === Symbol.iterator) return function* () { /* empty */ };
      if (key === Symbol.toPrimitive) return () => 0;
      if (!cache.has(key)) cache.set(key, stub());
      return cache.get(key);
    },
    set(_t, key, value) { cache.set(key, value); return true; },
    apply: () => stub(),
    construct: () => stub(),
  });
}

class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable { return new Disposable(() => items.forEach((d) => d.dispose())); }
  constructor(private readonly fn: () => unknown = () => undefined) {}
  dispose(): void { this.fn(); }
}

class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event = (listener: (e: T) => unknown): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void { for (const l of [...this.listeners]) l(e); }
  dispose(): void { this.listeners.clear(); }
}

class Uri {
  static file(p: string): Uri { return new Uri('file', '', path.resolve(p), '', ''); }
  static parse(s: string): Uri {
    const u = new URL(s);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri { return base.with({ path: path.posix.join(base.path, ...parts) }); }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query: string, readonly fragment: string) {}
  get fsPath(): string { return this.path; }
  with(c: Partial<Pick<Uri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(): string { return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}`; }
}

const configuration = {
  get: <T>(_key: string, fallback?: T) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: async () => undefined,
};

const real: Record<string, unknown> = {
  Disposable,
  EventEmitter,
  Uri,
  workspace: new Proxy(stub(), {
    get(t, key) {
      if (key === 'getConfiguration') return () => configuration;
      if (key === 'workspaceFolders') return undefined;
      if (key === 'textDocuments') return [];
      return t[key];
    },
  }),
};

// Bundlers copy a module's own properties into their ESM view of it, so every top-level name of the API (read from
// @types/vscode) is an own property here.
const declarations = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
const names = [...declarations.matchAll(/^\texport (?:namespace|class|enum|function|const|let) (\w+)/gm)].map((m) => m[1]);
export = Object.fromEntries(names.map((name) => [name, name in real ? real[name] : stub()]));
