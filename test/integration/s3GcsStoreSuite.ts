// The bucket-store behaviour both S3 and GCS must show, run against the real local servers through the real SDKs.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import type { ModelLocation } from '../../src/core/location';
import { childLocation } from '../../src/core/location';
import { listVersions } from '../../src/core/model/modelRepository';
import { StoreError, type ModelStore, type TransferProgress } from '../../src/core/storage/modelStore';
import { publishToBucket, scanPublishSource, type BucketObjectOps } from '../../src/core/storage/atomicPublish';
import type { PollMeasurable } from '../../src/core/storage/pollingCost';
import { measurePollingCost } from '../../src/core/storage/pollingCost';
import { repoRoot } from '../servers/testServers';

export const fixtureSavedModel = path.join(repoRoot, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu/00000123');
export const fixtureTflite = path.join(repoRoot, 'test/fixtures/tf-serving/saved_model_half_plus_two_tflite/00000123/model.tflite');

export interface BucketStoreHarness {
  store: ModelStore & PollMeasurable & { objectOps(modelLoc: ModelLocation): BucketObjectOps; listObjects(loc: ModelLocation, prefix: string): Promise<{ key: string }[]> };
  /** A location in a bucket that exists. */
  repo: ModelLocation;
  /** Writes an object directly through the SDK (for seeding). */
  put(key: string, body: Buffer | string): Promise<void>;
  /** Keys per list page in the poll TF Serving makes (S3: 100, GCS: 1000). */
  pollPageSize: number;
  /** Whether the server pages folders and files together exactly (the GCS emulator repeats prefixes per page). */
  strictPageSize: boolean;
}

const tempDirs: string[] = [];

/** A fresh temporary folder, removed by removeTempDirs() (called from the suites' after hooks). */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
}

/** A SavedModel-shaped folder: saved_model.pb, variables/, and `bigFiles` shards of `bigBytes` random bytes. */
export async function makeSavedModel(bigFiles: number, bigBytes: number, extra: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('tfss-sm-');
  await fs.mkdir(path.join(dir, 'variables'));
  await fs.writeFile(path.join(dir, 'saved_model.pb'), randomBytes(2048));
  await fs.writeFile(path.join(dir, 'variables/variables.index'), randomBytes(300));
  for (let i = 0; i < bigFiles; i++) {
    await fs.writeFile(path.join(dir, `variables/variables.data-${String(i).padStart(5, '0')}-of-${String(bigFiles).padStart(5, '0')}`), randomBytes(bigBytes));
  }
  for (const [rel, content] of Object.entries(extra)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return dir;
}

async function localFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (d: string, rel: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else out.set(r, await fs.readFile(path.join(d, e.name)));
    }
  };
  await walk(dir, '');
  return out;
}

async function inParallel<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (i < items.length) await fn(items[i++]); }));
}

export function bucketStoreSuite(getHarness: () => BucketStoreHarness): void {
  let h: BucketStoreHarness;
  before(() => { h = getHarness(); });
  after(() => removeTempDirs());

  it('pages a level of 2,500 objects (folders and files) with continuation tokens', async function () {
    this.timeout(180_000);
    const level = childLocation(h.repo, 'paging');
    const keys: string[] = [];
    for (let i = 0; i < 2000; i++) keys.push(`${level.path}/file-${String(i).padStart(4, '0')}.bin`);
    for (let i = 0; i < 500; i++) keys.push(`${level.path}/folder-${String(i).padStart(4, '0')}/inner.txt`);
    await inParallel(keys, 16, (k) => h.put(k, 'x'));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await h.store.listChildren(level, { pageSize: 1000, pageToken: token });
      // GCS counts items and prefixes together toward maxResults; the emulator counts only items
      if (h.strictPageSize) assert.ok(page.items.length <= 1000, `page of ${page.items.length}`);
      names.push(...page.items.map((i) => `${i.kind}:${i.name}`));
      token = page.nextToken;
      pages++;
    } while (token);
    assert.ok(h.strictPageSize ? pages === 3 : pages >= 2, `${pages} pages`);
    // the emulator repeats the prefixes on every page (real GCS does not); each entry must still appear
    if (h.strictPageSize) assert.strictEqual(names.length, 2500);
    assert.strictEqual(new Set(names).size, 2500);
    assert.strictEqual(new Set(names.filter((n) => n.startsWith('folder:folder-'))).size, 500);
    assert.ok(names.includes('file:file-1999.bin') && names.includes('folder:folder-0499'));
    // the prefix filter narrows the level server-side
    const filtered = await h.store.listChildren(level, { prefix: 'folder-01' });
    assert.strictEqual(filtered.items.length, 100);
    assert.ok(filtered.items.every((i) => i.kind === 'folder' && i.name.startsWith('folder-01')));
  });

  it('publishes the fixture SavedModel, lists it as a valid version, refuses to overwrite it, and publishes a .tflite', async () => {
    const model = childLocation(h.repo, 'half_plus_two');
    const progress: TransferProgress[] = [];
    const result = await h.store.publish(fixtureSavedModel, model, 1, { onProgress: (p) => progress.push(p) });
    const expected = await localFiles(fixtureSavedModel);
    assert.strictEqual(result.files, expected.size);
    const total = [...expected.values()].reduce((n, b) => n + b.length, 0);
    assert.strictEqual(result.bytes, total);
    assert.strictEqual(progress[progress.length - 1].bytesDone, total);
    const files = await h.store.listFiles(childLocation(model, '1'));
    assert.deepStrictEqual(files.map((f) => f.name).sort(), [...expected.keys()].sort());
    // nothing but the version is left under the model: staging was removed
    const all = await h.store.listObjects(model, `${model.path}/`);
    assert.ok(all.every((o) => o.key.startsWith(`${model.path}/1/`)), all.map((o) => o.key).join(', '));

    await assert.rejects(h.store.publish(fixtureSavedModel, model, 1), (e: StoreError) => e instanceof StoreError && /already exists/.test(e.message));
    await h.store.publish(fixtureTflite, model, 2);
    const listing = await listVersions(h.store, model, { measure: true });
    assert.deepStrictEqual(listing.versions.map((v) => [v.version, v.valid, v.format]), [[1, true, 'savedmodel'], [2, true, 'tflite']]);
    assert.strictEqual(listing.versions[0].objects, expected.size);
    assert.strictEqual(listing.versions[0].bytes, total);
    assert.deepStrictEqual((await h.store.listFiles(childLocation(model, '2'))).map((f) => f.name), ['model.tflite']);
  });

  it('refuses a source that is not a SavedModel or .tflite', async () => {
    const dir = await tempDir('tfss-bad-');
    await fs.writeFile(path.join(dir, 'saved_model.pb'), 'x');
    await assert.rejects(h.store.publish(dir, childLocation(h.repo, 'bad'), 1), /missing variables\//);
    await assert.rejects(h.store.publish(path.join(dir, 'saved_model.pb'), childLocation(h.repo, 'bad'), 1), /must be a \.tflite/);
  });

  it('downloads a version byte-equal and deletes it, returning the object count', async () => {
    const model = childLocation(h.repo, 'roundtrip');
    const source = await makeSavedModel(3, 200_000, { 'assets/vocab.txt': 'a\nb\n' });
    await h.store.publish(source, model, 7);
    const dest = await tempDir('tfss-dl-');
    const got = await h.store.download(childLocation(model, '7'), dest);
    const want = await localFiles(source);
    const have = await localFiles(dest);
    assert.strictEqual(got.files, want.size);
    assert.deepStrictEqual([...have.keys()].sort(), [...want.keys()].sort());
    for (const [k, b] of want) assert.ok(have.get(k)!.equals(b), `${k} differs`);
    assert.strictEqual(await h.store.delete(childLocation(model, '7')), want.size);
    assert.deepStrictEqual((await listVersions(h.store, model)).versions, []);
  });

  it('handles keys with spaces, unicode, "+" and "%" in model names and file names', async () => {
    const model = childLocation(h.repo, 'odd model+ü%20 名');
    const source = await makeSavedModel(1, 1000, { 'assets/a b+c%2F ü.txt': 'odd', 'assets/100% sure+.txt': 'pct' });
    await h.store.publish(source, model, 3);
    const names = (await h.store.listFiles(childLocation(model, '3'))).map((f) => f.name).sort();
    assert.ok(names.includes('assets/a b+c%2F ü.txt') && names.includes('assets/100% sure+.txt'), names.join(', '));
    const top = await h.store.listChildren(h.repo, { prefix: 'odd ' });
    assert.deepStrictEqual(top.items.map((i) => i.name), ['odd model+ü%20 名']);
    const bytes = await h.store.readFile(childLocation(model, '3', 'assets', 'a b+c%2F ü.txt'));
    assert.strictEqual(Buffer.from(bytes).toString(), 'odd');
    const dest = await tempDir('tfss-odd-');
    await h.store.download(childLocation(model, '3'), dest);
    assert.strictEqual(await fs.readFile(path.join(dest, 'assets', '100% sure+.txt'), 'utf8'), 'pct');
  });

  it('an abort halfway through the upload leaves no numeric version and no staging objects', async function () {
    this.timeout(120_000);
    const model = childLocation(h.repo, 'aborted');
    const source = await makeSavedModel(6, 3 * 1024 * 1024);
    const controller = new AbortController();
    let total = 0;
    let abortedAt = 0;
    const err = await h.store.publish(source, model, 5, {
      signal: controller.signal,
      onProgress: (p) => { total = p.bytesTotal; if (!controller.signal.aborted && p.bytesDone >= p.bytesTotal / 2) { abortedAt = p.bytesDone; controller.abort(); } },
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    assert.ok(abortedAt > 0 && abortedAt < total, `aborted at ${abortedAt} of ${total}`);
    assert.match(err.message, /cancelled/);
    assert.match(err.message, /No numbered version was left behind/);
    assert.match(err.message, /staged object/);
    assert.deepStrictEqual((await listVersions(h.store, model)).versions, []);
    assert.deepStrictEqual(await h.store.listObjects(model, `${model.path}/`), []);
  });

  it('a failure during the server-side copy removes what reached the numeric prefix, then the staging objects', async () => {
    const model = childLocation(h.repo, 'copyfail');
    const source = await scanPublishSource(await makeSavedModel(4, 10_000));
    const real = h.store.objectOps(model);
    let copies = 0;
    const failing: BucketObjectOps = {
      ...real,
      copy: async (from, to, signal) => {
        if (++copies === 4) throw new Error('injected copy failure');
        await real.copy(from, to, signal);
      },
    };
    const err = await publishToBucket(failing, source, model.path, 9).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof StoreError);
    assert.match(err.message, /injected copy failure/);
    assert.match(err.message, /Removed [1-9]\d* object\(s\) already copied into/);
    assert.deepStrictEqual(await h.store.listObjects(model, `${model.path}/`), []);
    // the graph file is copied last, so it never reached the version before the failure
    assert.ok(copies <= source.files.length);
  });

  it('measures the polling cost from the real listing of the model prefix', async () => {
    const model = childLocation(h.repo, 'polled');
    await inParallel(Array.from({ length: 250 }, (_, i) => i + 1), 16, (v) => h.put(`${model.path}/${v}/saved_model.pb`, 'pb'));
    const cost = await measurePollingCost(h.store, model, 2);
    assert.strictEqual(cost.perPoll.entries, 250);
    assert.strictEqual(cost.perPoll.requests, Math.ceil(250 / h.pollPageSize));
    // 250 folder names in the listing bodies, plus headers: well over 250 × 20 bytes
    assert.ok(cost.perPoll.responseBytes > 250 * 20, `bytes ${cost.perPoll.responseBytes}`);
    assert.strictEqual(cost.atServingInterval.requestsPerHour, cost.perPoll.requests * 1800);
    assert.strictEqual(cost.at120s.requestsPerHour, cost.perPoll.requests * 30);
    assert.strictEqual(cost.at120s.responseBytesPerHour, cost.perPoll.responseBytes * 30);
    // growing the level grows the measured bytes: it is read from the responses, not assumed
    await inParallel(Array.from({ length: 50 }, (_, i) => i + 1000), 16, (v) => h.put(`${model.path}/${v}/saved_model.pb`, 'pb'));
    const bigger = await measurePollingCost(h.store, model, 2);
    assert.strictEqual(bigger.perPoll.entries, 300);
    assert.ok(bigger.perPoll.responseBytes > cost.perPoll.responseBytes);
  });
}
