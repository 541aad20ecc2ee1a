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
import { publishToBucket, type BucketObjectOps } from '../../src/core/storage/atomicPublish';
import { scanPublishSource, type PublishSource } from '../../src/core/storage/publishSource';
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
    const listing = await listVersions(h.store, model);
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

  /** The store's own publish mix, plus (where the store has hidden uploads) every file hidden and every file staged. */
  const strategies = (model: ModelLocation): { name: string; ops: BucketObjectOps }[] => {
    const own = h.store.objectOps(model);
    return own.beginUpload
      ? [
        { name: 'store default (big files hidden, small files staged)', ops: own },
        { name: 'every file a hidden multipart upload', ops: { ...own, hiddenUploadMinBytes: 0 } },
        { name: 'every file staged and copied', ops: { ...own, beginUpload: undefined } },
      ]
      : [{ name: 'every file staged and copied', ops: own }];
  };
  /** Two shards over one 8 MiB part (hidden on S3 by default), three small ones, saved_model.pb and the index. */
  const mixedSavedModel = async () => {
    const dir = await makeSavedModel(3, 1024 * 1024);
    for (const i of [3, 4]) await fs.writeFile(path.join(dir, `variables/variables.data-0000${i}-of-00005`), randomBytes(9 * 1024 * 1024));
    return scanPublishSource(dir);
  };
  const cleanupNotes = (ops: BucketObjectOps, source: PublishSource): RegExp[] => {
    const hidden = source.files.filter((f) => ops.beginUpload && f.bytes >= (ops.hiddenUploadMinBytes ?? 0)).length;
    return [
      ...(hidden ? [/aborted \d+ unfinished upload\(s\)/] : []),
      ...(hidden < source.files.length ? [/removed [1-9]\d* staging object\(s\)/] : []),
    ];
  };

  it('while the files are going up, no listing shows the version; the graph file appears last', async function () {
    this.timeout(120_000);
    for (const [i, { name, ops }] of strategies(childLocation(h.repo, 'x')).entries()) {
      const model = childLocation(h.repo, `inflight-${i}`);
      const source = await mixedSavedModel();
      const revealed: string[] = [];
      const seen: { after: string; versions: number[]; keys: string[] }[] = [];
      let uploaded = 0;
      // Look at the bucket the way a poll would, after the first upload and after the last (every byte is in, nothing
      // revealed yet); the upload's promise is held until the look is done, so the reveal cannot have started.
      const look = async () => {
        uploaded++;
        if (uploaded !== 1 && uploaded !== source.files.length) return;
        seen.push({
          after: `${uploaded} of ${source.files.length} uploads`,
          versions: (await listVersions(h.store, model)).versions.map((v) => v.version),
          keys: (await h.store.listObjects(model, `${model.path}/`)).map((o) => o.key),
        });
      };
      const watched: BucketObjectOps = {
        ...ops,
        upload: async (...args) => { await ops.upload(...args); await look(); },
        copy: async (from, to, signal) => { await ops.copy(from, to, signal); revealed.push(to); },
        beginUpload: ops.beginUpload && (async (...args) => {
          const up = await ops.beginUpload!(...args);
          await look();
          return { ...up, commit: async () => { await up.commit(); revealed.push(up.key); } };
        }),
      };
      await publishToBucket(watched, source, model.path, 4);
      assert.strictEqual(seen.length, 2, name);
      for (const s of seen) {
        assert.deepStrictEqual(s.versions, [], `${name}: a version was listed after ${s.after}`);
        assert.ok(s.keys.every((k) => !k.startsWith(`${model.path}/4/`)), `${name}, after ${s.after}: ${s.keys.join(', ')}`);
      }
      assert.strictEqual(revealed.length, source.files.length, name);
      assert.strictEqual(revealed[revealed.length - 1], `${model.path}/4/saved_model.pb`, name);
      const after = await listVersions(h.store, model);
      assert.deepStrictEqual(after.versions.map((v) => [v.version, v.valid, v.objects]), [[4, true, source.files.length]], name);
      assert.ok((await h.store.listObjects(model, `${model.path}/`)).every((o) => o.key.startsWith(`${model.path}/4/`)), `${name}: leftovers`);
    }
  });

  it('an abort halfway through the upload leaves no numeric version and nothing else behind', async function () {
    this.timeout(120_000);
    for (const [i, { name, ops }] of strategies(childLocation(h.repo, 'x')).entries()) {
      const model = childLocation(h.repo, `aborted-${i}`);
      const source = await mixedSavedModel();
      const controller = new AbortController();
      let total = 0;
      let abortedAt = 0;
      const err = await publishToBucket(ops, source, model.path, 5, {
        signal: controller.signal,
        onProgress: (p) => { total = p.bytesTotal; if (!controller.signal.aborted && p.bytesDone >= p.bytesTotal / 2) { abortedAt = p.bytesDone; controller.abort(); } },
      }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof StoreError, `${name}: expected a StoreError, got ${String(err)}`);
      assert.ok(abortedAt > 0 && abortedAt < total, `${name}: aborted at ${abortedAt} of ${total}`);
      assert.match(err.message, /cancelled/);
      assert.match(err.message, /No numbered version was left behind/);
      for (const note of cleanupNotes(ops, source)) assert.match(err.message, note, name);
      assert.deepStrictEqual((await listVersions(h.store, model)).versions, [], name);
      assert.deepStrictEqual(await h.store.listObjects(model, `${model.path}/`), [], name);
    }
  });

  it('a failure while revealing the version removes what reached the numeric prefix and the rest', async () => {
    for (const [i, { name, ops }] of strategies(childLocation(h.repo, 'x')).entries()) {
      const model = childLocation(h.repo, `revealfail-${i}`);
      const source = await mixedSavedModel();
      let reveals = 0;
      const failAtFourth = async (reveal: () => Promise<void>) => {
        if (++reveals === 4) throw new Error('injected failure');
        await reveal();
      };
      const failing: BucketObjectOps = {
        ...ops,
        copy: (from, to, signal) => failAtFourth(() => ops.copy(from, to, signal)),
        beginUpload: ops.beginUpload && (async (...args) => {
          const up = await ops.beginUpload!(...args);
          return { ...up, commit: () => failAtFourth(() => up.commit()) };
        }),
      };
      const err = await publishToBucket(failing, source, model.path, 9).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof StoreError, name);
      assert.match(err.message, /injected failure/);
      assert.match(err.message, /Removed [1-9]\d* object\(s\) already in/);
      for (const note of cleanupNotes(ops, source)) assert.match(err.message, note, name);
      assert.deepStrictEqual(await h.store.listObjects(model, `${model.path}/`), [], name);
      // the graph file is revealed last, so it never reached the version before the failure
      assert.ok(reveals < source.files.length, `${name}: ${reveals} reveals`);
    }
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
