// GcsModelStore against firebase-tools' Cloud Storage emulator, through the real @google-cloud/storage SDK.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Storage } from '@google-cloud/storage';
import { parseLocation } from '../../src/core/location';
import { GcsModelStore, createStorage } from '../../src/core/storage/gcsModelStore';
import { StoreError } from '../../src/core/storage/modelStore';
import { openStore } from '../../src/core/storage/storeRegistry';
import { freePort, startGcsEmulator, type RunningServer } from '../servers/testServers';
import { bucketStoreSuite, removeTempDirs, tempDir } from './s3GcsStoreSuite';
import { publishSafetySuite } from './publishSafetySuite';

describe('GcsModelStore against the Cloud Storage emulator', function () {
  this.timeout(60_000);
  let server: RunningServer;
  let raw: Storage;
  let store: GcsModelStore;
  const bucket = 'tfss-models';
  const repo = parseLocation(`gs://${bucket}/repo`);

  before(async function () {
    this.timeout(90_000);
    server = await startGcsEmulator();
    raw = await createStorage({ apiEndpoint: server.endpoint });
    store = new GcsModelStore({ apiEndpoint: server.endpoint });
    await raw.bucket(bucket).file('repo/.keep').save('');
  });
  after(async () => {
    await removeTempDirs();
    await server?.stop();
  });

  bucketStoreSuite(() => ({
    store, repo, pollPageSize: 1000, strictPageSize: false,
    put: async (key, body) => { await raw.bucket(bucket).file(key).save(body, { resumable: false }); },
  }));

  // The emulator ignores preconditions; test/servers/gcsEmulator.cjs honours GCS's create-only upload
  // (ifGenerationMatch=0) in front of it, so these races test our claims against GCS's documented behaviour.
  publishSafetySuite(() => ({
    store, other: new GcsModelStore({ apiEndpoint: server.endpoint }), repo, conditionalWrites: true,
    everything: async (model) => new Map((await store.listObjects(model, `${model.path}/`)).map((o) => [o.key.slice(model.path.length + 1), o.bytes])),
    write: async (model, rel, body) => { await raw.bucket(bucket).file(`${model.path}/${rel}`).save(body, { resumable: false }); },
  }));

  it('sends ifGenerationMatch=0 on the claim and is refused when the claim exists', async () => {
    const ops = store.objectOps(repo);
    assert.strictEqual(await ops.putIfAbsent('repo/claim-probe/x.json', '{}'), 'created');
    assert.strictEqual(await ops.putIfAbsent('repo/claim-probe/x.json', '{}'), 'exists');
  });

  it('is what the store registry opens for gs://, and honours STORAGE_EMULATOR_HOST', async () => {
    const opened = await openStore(repo, { endpoint: server.endpoint });
    assert.ok(opened instanceof GcsModelStore);
    await raw.bucket(bucket).file('repo/registry-model/1/saved_model.pb').save('x', { resumable: false });
    assert.deepStrictEqual((await opened.listChildren(repo, { prefix: 'registry' })).items.map((i) => i.name), ['registry-model']);
    const saved = process.env.STORAGE_EMULATOR_HOST;
    try {
      process.env.STORAGE_EMULATOR_HOST = server.endpoint;
      assert.deepStrictEqual((await new GcsModelStore().listChildren(repo, { prefix: 'registry' })).items.map((i) => i.name), ['registry-model']);
      // without a scheme the SDK cannot use it: one clear message instead of "Only HTTP(S) protocols are supported"
      process.env.STORAGE_EMULATOR_HOST = server.endpoint.replace(/^http:\/\//, '');
      await assert.rejects(new GcsModelStore().listChildren(repo), (e: StoreError) => e.code === 'EmulatorHostInvalid' && /http:\/\/127\.0\.0\.1:9199/.test(e.hint ?? ''));
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST; else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });

  it('uploads a file above the resumable threshold', async function () {
    this.timeout(120_000);
    const dir = await tempDir('tfss-gbig-');
    const file = path.join(dir, 'big.bin');
    await fs.writeFile(file, Buffer.alloc(12 * 1024 * 1024, 3));
    let seen = 0;
    await store.uploadFile(repo, file, 'repo/big/big.bin', 12 * 1024 * 1024, (d) => { seen += d; });
    assert.strictEqual(seen, 12 * 1024 * 1024);
    const [meta] = await raw.bucket(bucket).file('repo/big/big.bin').getMetadata();
    assert.strictEqual(Number(meta.size), 12 * 1024 * 1024);
  });

  describe('errors users hit', () => {
    // The emulator creates any bucket a request names, so "missing bucket" cannot be provoked here (S3 tests cover
    // it against the S3 server); a missing object is the real 404 the emulator gives.
    it('a missing object is a clear not-found naming the repository', async () => {
      await assert.rejects(store.readFile(parseLocation('gs://tfss-models/repo/nope/1/saved_model.pb')),
        (e: StoreError) => e instanceof StoreError && e.code === 'NotFound' && e.message.includes('gs://tfss-models/repo/nope/1/saved_model.pb'));
    });

    it('unreachable endpoint fails within seconds', async () => {
      const port = await freePort();
      const s = new GcsModelStore({ apiEndpoint: `http://127.0.0.1:${port}` });
      const t0 = Date.now();
      await assert.rejects(s.listChildren(repo), (e: StoreError) => e.code === 'Unreachable' && e.message.includes(`http://127.0.0.1:${port} is unreachable`) && e.message.includes('gs://tfss-models/repo'));
      assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);
    });

    it('a stored service-account key that is not JSON is reported without echoing it', async () => {
      const secret = 'not-json-----BEGIN PRIVATE KEY-----abc';
      const s = new GcsModelStore({ serviceAccountJson: secret });
      await assert.rejects(s.listChildren(repo), (e: StoreError) => e.code === 'KeyInvalid' && !e.message.includes(secret) && !(e.hint ?? '').includes(secret));
    });

    it('an unreadable service-account key file is named, with what to do', async () => {
      const missing = path.join(await tempDir('tfss-key-'), 'missing-key.json');
      const s = new GcsModelStore({ keyFilename: missing });
      await assert.rejects(s.listChildren(repo), (e: StoreError) => e instanceof StoreError && e.message.includes('gs://tfss-models/repo') && e.message.includes(missing) && !!e.hint);
    });
  });
});
