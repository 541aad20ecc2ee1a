// What every store must guarantee about publishing, run against the real local folder, S3 server and GCS emulator:
// two publishes never share a version (10 races per store), symbolic links never carry files from outside the model
// folder, and a publish that died is finished or rolled back by the next touch.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import type { ModelLocation } from '../../src/core/location';
import { childLocation } from '../../src/core/location';
import { listVersions } from '../../src/core/model/modelRepository';
import { StoreError, type ModelStore, type PublishResult } from '../../src/core/storage/modelStore';
import { makeSavedModel, tempDir } from './s3GcsStoreSuite';

export interface PublishSafetyHarness {
  /** Two stores over the same repository, as two users on two machines would have. */
  store: ModelStore;
  other: ModelStore;
  repo: ModelLocation;
  /** Every object or file under the model, names relative to it, hidden ones included; with sizes. */
  everything(model: ModelLocation): Promise<Map<string, number>>;
  /** Whether the store's server honours create-only writes (the races are only guaranteed then). */
  conditionalWrites: boolean;
  /** Writes a file under the model directly (to plant another machine's claim). */
  write(model: ModelLocation, rel: string, body: string): Promise<void>;
}

/** Relative file names and sizes of a local folder, links followed. */
export async function localSizes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (d: string, rel: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const st = await fs.stat(path.join(d, e.name));
      if (st.isDirectory()) await walk(path.join(d, e.name), r);
      else out.set(r, st.size);
    }
  };
  await walk(dir, '');
  return out;
}

function versionFiles(all: Map<string, number>, folder: string): Map<string, number> {
  return new Map([...all].filter(([k]) => k.startsWith(`${folder}/`)).map(([k, v]) => [k.slice(folder.length + 1), v]));
}

export function publishSafetySuite(getHarness: () => PublishSafetyHarness): void {
  let h: PublishSafetyHarness;
  before(() => { h = getHarness(); });

  describe('two publishes at once', () => {
    it('never share a version: 10 races, each version holds exactly one source (the loser takes the next number)', async function () {
      // A server that ignores create-only writes (fauxqs) cannot decide a race; its fallback has its own test below.
      if (!h.conditionalWrites) this.skip();
      this.timeout(300_000);
      const big = await makeSavedModel(2, 9 * 1024 * 1024 + 17);
      const small = await makeSavedModel(1, 1000, { 'assets/small.txt': 'small' });
      const sizes = { big: await localSizes(big), small: await localSizes(small) };
      for (let trial = 0; trial < 10; trial++) {
        const model = childLocation(h.repo, `race-${trial}`);
        const results = await Promise.all([
          h.store.publish(big, model, 1, { nextFreeIfTaken: true }),
          h.other.publish(small, model, 1, { nextFreeIfTaken: true }),
        ]);
        assert.deepStrictEqual(results.map((r) => r.version).sort(), [1, 2], `trial ${trial}`);
        const all = await h.everything(model);
        for (const [r, which] of [[results[0], 'big'], [results[1], 'small']] as [PublishResult, 'big' | 'small'][]) {
          assert.deepStrictEqual(versionFiles(all, String(r.version)), sizes[which], `trial ${trial}: version ${r.version} is not exactly the ${which} model`);
        }
        const loser = results.find((r) => r.version === 2)!;
        assert.ok(loser.notes?.some((n) => /Version 1 was taken/.test(n)), `trial ${trial}: ${JSON.stringify(loser.notes)}`);
        assert.deepStrictEqual([...all.keys()].filter((k) => !/^[12]\//.test(k)), [], `trial ${trial}: leftovers`);
      }
    });

    it('with a named version, one wins and the other stops with a clear message', async function () {
      if (!h.conditionalWrites) this.skip(); // as above: no create-only writes, no race to decide
      this.timeout(120_000);
      const a = await makeSavedModel(1, 3 * 1024 * 1024);
      const b = await makeSavedModel(1, 1000);
      for (let trial = 0; trial < 3; trial++) {
        const model = childLocation(h.repo, `named-race-${trial}`);
        const settled = await Promise.allSettled([h.store.publish(a, model, 7), h.other.publish(b, model, 7)]);
        const won = settled.filter((s) => s.status === 'fulfilled');
        const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
        assert.strictEqual(won.length, 1, `trial ${trial}: ${settled.map((s) => s.status).join(', ')}`);
        assert.ok(lost[0].reason instanceof StoreError && lost[0].reason.code === 'VersionTaken', String(lost[0].reason));
        assert.match(lost[0].reason.message, /^Version 7 (is being published by another publish|already exists|was published by another publish meanwhile)/);
        assert.match(`${lost[0].reason.message} ${lost[0].reason.hint}`, /Pick another version number|Pick a higher version number/);
        assert.deepStrictEqual([...(await h.everything(model)).keys()].filter((k) => !k.startsWith('7/')), [], 'leftovers');
      }
    });
  });

  describe('leases', () => {
    const lease = (version: number, expiresInMs: number) => JSON.stringify({
      id: 'elsewhere', version, host: 'another-machine.example', pid: 4242,
      startedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    });

    it('a live publish on another machine is never touched; a publish after it takes the next number', async () => {
      const model = childLocation(h.repo, 'lease-live');
      await h.write(model, '.staging-1/claim.json', lease(1, 60_000));
      await h.write(model, '.staging-1/files/variables/variables.index', 'in flight');
      const repaired = await h.store.repair(model);
      assert.deepStrictEqual(repaired.map((r) => [r.version, r.outcome]), [[1, 'live']]);
      assert.deepStrictEqual((await h.store.listPublishes(model)).map((p) => [p.version, p.live, p.phase]), [[1, true, 'uploading']]);
      await assert.rejects(h.store.repair(model, { version: 1, action: 'rollBack' }), (e: StoreError) => e.code === 'PublishLive' && /still live \(process 4242 on another-machine\.example/.test(e.message));
      const result = await h.store.publish(await makeSavedModel(1, 100), model, 1, { nextFreeIfTaken: true });
      assert.strictEqual(result.version, 2);
      assert.ok(result.notes?.some((n) => /Version 1 was taken \(is being published by another publish \(process 4242 on another-machine/.test(n)), JSON.stringify(result.notes));
      const named = await h.store.publish(await makeSavedModel(1, 100), model, 1).then(() => undefined, (e: unknown) => e);
      assert.ok(named instanceof StoreError && named.code === 'VersionTaken' && /^Version 1 is being published by another publish/.test(named.message), String(named));
      assert.ok((await h.everything(model)).has('.staging-1/files/variables/variables.index'), 'the live publish was touched');
    });

    it('once its lease expired, the next touch rolls it back and says so', async () => {
      const model = childLocation(h.repo, 'lease-expired');
      await h.write(model, '.staging-1/claim.json', lease(1, -1000));
      await h.write(model, '.staging-1/files/variables/variables.index', 'never finished');
      assert.deepStrictEqual((await h.store.listPublishes(model)).map((p) => [p.version, p.live]), [[1, false]]);
      const repaired = await h.store.repair(model);
      assert.deepStrictEqual(repaired.map((r) => [r.version, r.outcome]), [[1, 'rolledBack']]);
      assert.match(repaired[0].message, /^Rolled back the interrupted publish of version 1 \(its upload had not finished\)/);
      assert.deepStrictEqual([...(await h.everything(model)).keys()], []);
    });
  });

  describe('symbolic links in the source', () => {
    it('links inside the model folder are followed once: their targets are published under the link names', async () => {
      const dir = await makeSavedModel(1, 5000);
      // `variables` itself a link into the folder (the case that published a NOT LOADABLE version on S3), plus a
      // linked file and a linked folder.
      await fs.rename(path.join(dir, 'variables'), path.join(dir, 'real_variables'));
      await fs.symlink('real_variables', path.join(dir, 'variables'));
      await fs.mkdir(path.join(dir, 'extra'));
      await fs.writeFile(path.join(dir, 'extra/vocab.txt'), 'a\nb\n');
      await fs.mkdir(path.join(dir, 'assets'));
      await fs.symlink('../extra/vocab.txt', path.join(dir, 'assets/vocab.txt'));
      await fs.symlink('../extra', path.join(dir, 'assets/extra'));
      const model = childLocation(h.repo, 'links-inside');
      const result = await h.store.publish(dir, model, 1);
      const published = versionFiles(await h.everything(model), '1');
      assert.deepStrictEqual(published, await localSizes(dir));
      assert.ok(published.has('variables/variables.index') && published.has('assets/vocab.txt') && published.has('assets/extra/vocab.txt'), [...published.keys()].join(', '));
      assert.strictEqual(result.files, published.size);
      const listing = await listVersions(h.store, model);
      assert.deepStrictEqual(listing.versions.map((v) => [v.version, v.valid]), [[1, true]]);
    });

    it('links that leave the folder, dangle or loop are refused, all of them named, and nothing is published', async () => {
      const outside = await tempDir('tfss-outside-');
      await fs.writeFile(path.join(outside, 'secret.txt'), 'top secret');
      const dir = await makeSavedModel(1, 1000);
      await fs.mkdir(path.join(dir, 'assets'));
      await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'assets/leak.txt'));
      await fs.symlink(outside, path.join(dir, 'assets/leakdir'));
      await fs.symlink('..', path.join(dir, 'variables/loop'));
      await fs.symlink('../../..', path.join(dir, 'variables/up'));
      await fs.symlink('nowhere', path.join(dir, 'assets/dangling'));
      const model = childLocation(h.repo, 'links-outside');
      const err = await h.store.publish(dir, model, 1).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof StoreError, String(err));
      assert.match(err.message, /5 symbolic link\(s\) cannot be published/);
      assert.match(err.message, /assets\/leak\.txt -> .*secret\.txt \(outside the model folder\)/);
      assert.match(err.message, /assets\/leakdir -> .* \(outside the model folder\)/);
      assert.match(err.message, /variables\/loop -> \.\. \(a loop/);
      assert.match(err.message, /variables\/up -> \.\.\/\.\.\/\.\. \(outside the model folder\)/);
      assert.match(err.message, /assets\/dangling -> nowhere \(points to nothing\)/);
      assert.match(err.hint ?? '', /inside the model folder/);
      assert.deepStrictEqual([...(await h.everything(model)).keys()], []);
    });
  });
}

/** A folder of random bytes that publishes as a SavedModel of about `mb` MB (9 shards). */
export async function bigSavedModel(mb: number): Promise<string> {
  const shard = Math.ceil((mb * 1024 * 1024) / 8);
  const dir = await makeSavedModel(8, shard);
  await fs.writeFile(path.join(dir, 'variables', 'variables.index'), randomBytes(4096));
  return dir;
}
