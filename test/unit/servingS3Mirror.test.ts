// Mirror mode against the ModelStore interface, with the local store standing in for a bucket.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseLocation } from '../../src/core/location';
import { mirrorOnce, S3Mirror } from '../../src/core/serving/s3Mirror';
import { LocalModelStore } from '../../src/core/storage/localModelStore';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tf-serving', 'saved_model_half_plus_two_2_versions');

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'tfss-mirror-unit-'));
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));

function bucketWith(versions: string[]): string {
  const dir = fs.mkdtempSync(path.join(ROOT, 'bucket-'));
  for (const v of versions) fs.cpSync(path.join(FIXTURE, '00000123'), path.join(dir, v), { recursive: true });
  return dir;
}
const tree = (dir: string) => fs.readdirSync(dir).sort();

describe('serving: S3 mirror mode', () => {
  const store = new LocalModelStore();

  it('copies the latest version, then only what is new, each complete with its files', async () => {
    const bucket = bucketWith(['1', '2', 'notes']);
    const local = fs.mkdtempSync(path.join(ROOT, 'mirror-'));
    const r1 = await mirrorOnce(store, parseLocation(bucket), local);
    assert.deepStrictEqual(r1, { added: [2], present: [], skipped: [] });
    assert.deepStrictEqual(tree(local), ['2']);
    assert.deepStrictEqual(tree(path.join(local, '2')), ['assets', 'saved_model.pb', 'variables']);
    const r2 = await mirrorOnce(store, parseLocation(bucket), local);
    assert.deepStrictEqual(r2.added, []);
    assert.deepStrictEqual(r2.present, [2]);
    fs.cpSync(path.join(FIXTURE, '00000124'), path.join(bucket, '3'), { recursive: true });
    assert.deepStrictEqual((await mirrorOnce(store, parseLocation(bucket), local)).added, [3]);
    assert.deepStrictEqual(tree(local), ['2', '3']);
  });

  it('mirrors all or chosen versions, skips ones not loadable yet and drops leftovers of a broken pass', async () => {
    const bucket = bucketWith(['1', '2']);
    fs.mkdirSync(path.join(bucket, '5', 'variables'), { recursive: true }); // upload in progress: no graph yet
    const local = fs.mkdtempSync(path.join(ROOT, 'mirror-'));
    fs.mkdirSync(path.join(local, '.tfss-partial-9-deadbeef'));
    const r = await mirrorOnce(store, parseLocation(bucket), local, { versions: 'all' });
    assert.deepStrictEqual(r.added, [2, 1]);
    assert.deepStrictEqual(r.skipped.map((s) => s.version), [5]);
    assert.match(r.skipped[0].reason, /lacks saved_model\.pb/);
    assert.deepStrictEqual(tree(local), ['1', '2']);
    const chosen = fs.mkdtempSync(path.join(ROOT, 'mirror-'));
    assert.deepStrictEqual((await mirrorOnce(store, parseLocation(bucket), chosen, { versions: [1] })).added, [1]);
  });

  it('never shows a half-copied version under its number', async () => {
    const bucket = bucketWith(['7']);
    const local = fs.mkdtempSync(path.join(ROOT, 'mirror-'));
    const seen: string[][] = [];
    await mirrorOnce(store, parseLocation(bucket), local, { onProgress: () => seen.push(tree(local)) });
    // One look per file copied (the fixture version has 4 files), each while the copy sits in a hidden folder.
    assert.strictEqual(seen.length, 4);
    for (const names of seen) {
      assert.ok(!names.includes('7'), `7 visible during the copy: ${names}`);
      assert.strictEqual(names.filter((n) => n.startsWith('.tfss-partial-7-')).length, 1, `the copy in progress: ${names}`);
    }
    assert.deepStrictEqual(tree(local), ['7']);
  });

  it('polls until stopped', async () => {
    const bucket = bucketWith(['1']);
    const local = fs.mkdtempSync(path.join(ROOT, 'mirror-'));
    const passes: number[][] = [];
    const mirror = new S3Mirror(store, parseLocation(bucket), local, { onPass: (r) => passes.push(r.added) });
    assert.deepStrictEqual((await mirror.start(1)).added, [1]);
    fs.cpSync(path.join(FIXTURE, '00000124'), path.join(bucket, '2'), { recursive: true });
    const deadline = Date.now() + 5000;
    while (!fs.existsSync(path.join(local, '2')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await mirror.stop();
    assert.deepStrictEqual(tree(local), ['1', '2']);
    assert.deepStrictEqual(passes.slice(0, 2), [[1], [2]]);
  });
});
