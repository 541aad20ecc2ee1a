// Mirror mode for s3:// models: stock tensorflow/serving images from 2.7 on cannot read S3, so new versions are
// copied from the bucket into a local folder the container mounts. Each version appears atomically: it is
// downloaded into a hidden folder (which TF Serving ignores, its name not being an integer) and then renamed.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { childLocation, formatLocation, type ModelLocation } from '../location';
import { checkVersionFiles, parseVersionFolder } from '../model/versionRules';
import type { ModelStore, TransferProgress } from '../storage/modelStore';

const PARTIAL_PREFIX = '.tfss-partial-';

export interface MirrorOptions {
  /** Which bucket versions to copy: the highest only (what TF Serving's default policy serves), all, or a list. */
  readonly versions?: 'latest' | 'all' | readonly number[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (version: number, p: TransferProgress) => void;
}

export interface MirrorResult {
  /** Versions copied by this pass. */
  readonly added: number[];
  /** Versions already present locally. */
  readonly present: number[];
  /** Bucket versions skipped because they are not loadable yet (e.g. still being uploaded), with why. */
  readonly skipped: { version: number; reason: string }[];
}

async function bucketVersions(store: ModelStore, modelLoc: ModelLocation): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  let pageToken: string | undefined;
  do {
    const page = await store.listChildren(modelLoc, { pageToken });
    for (const e of page.items) {
      const v = e.kind === 'folder' ? parseVersionFolder(e.name) : undefined;
      if (v !== undefined && !out.has(v)) out.set(v, e.name);
    }
    pageToken = page.nextToken;
  } while (pageToken);
  return out;
}

/** One mirror pass: copies the wanted versions the local folder lacks. */
export async function mirrorOnce(store: ModelStore, modelLoc: ModelLocation, localDir: string, options: MirrorOptions = {}): Promise<MirrorResult> {
  await fs.promises.mkdir(localDir, { recursive: true });
  // Leftovers of an interrupted pass are never served (hidden names) and are safe to drop.
  for (const name of await fs.promises.readdir(localDir)) {
    if (name.startsWith(PARTIAL_PREFIX)) await fs.promises.rm(path.join(localDir, name), { recursive: true, force: true });
  }
  const local = new Set((await fs.promises.readdir(localDir)).map(parseVersionFolder).filter((v): v is number => v !== undefined));
  const remote = await bucketVersions(store, modelLoc);
  const sorted = [...remote.keys()].sort((a, b) => b - a);
  const wanted = options.versions === 'all' ? sorted : Array.isArray(options.versions) ? sorted.filter((v) => (options.versions as readonly number[]).includes(v)) : sorted.slice(0, 1);

  const added: number[] = [];
  const present: number[] = [];
  const skipped: { version: number; reason: string }[] = [];
  for (const v of wanted) {
    if (local.has(v)) { present.push(v); continue; }
    const name = remote.get(v)!;
    const versionLoc = childLocation(modelLoc, name);
    const files = await store.listFiles(versionLoc);
    const validity = checkVersionFiles(files.map((f) => f.name));
    if (!validity.valid) { skipped.push({ version: v, reason: `${formatLocation(versionLoc)} lacks ${validity.missing.join(', ')}` }); continue; }
    const partial = path.join(localDir, `${PARTIAL_PREFIX}${name}-${randomBytes(4).toString('hex')}`);
    try {
      await store.download(versionLoc, partial, { signal: options.signal, onProgress: (p) => options.onProgress?.(v, p) });
      await fs.promises.rename(partial, path.join(localDir, name));
      added.push(v);
    } catch (e) {
      await fs.promises.rm(partial, { recursive: true, force: true });
      throw e;
    }
  }
  return { added, present, skipped };
}

/** Repeats mirrorOnce every `intervalSeconds` until stopped; one pass at a time. */
export class S3Mirror {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: ModelStore,
    readonly modelLoc: ModelLocation,
    readonly localDir: string,
    private readonly options: Omit<MirrorOptions, 'signal'> & {
      readonly onPass?: (r: MirrorResult) => void;
      readonly onError?: (e: Error) => void;
    } = {},
  ) {}

  /** Runs a first pass (its errors reject) and then polls. */
  async start(intervalSeconds: number): Promise<MirrorResult> {
    const first = await mirrorOnce(this.store, this.modelLoc, this.localDir, { ...this.options, signal: this.abort.signal });
    this.options.onPass?.(first);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = mirrorOnce(this.store, this.modelLoc, this.localDir, { ...this.options, signal: this.abort.signal })
        .then((r) => this.options.onPass?.(r), (e: Error) => { if (!this.abort.signal.aborted) this.options.onError?.(e); })
        .finally(() => { this.running = undefined; });
    }, Math.max(1, intervalSeconds) * 1000);
    return first;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }
}
