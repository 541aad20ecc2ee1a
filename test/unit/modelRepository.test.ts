import * as assert from 'assert';
import { parseLocation } from '../../src/core/location';
import { checkVersion, listAllVersions, listVersionNumbers, listVersions, nextVersionNumber } from '../../src/core/model/modelRepository';
import type { ModelStore } from '../../src/core/storage/modelStore';
import { MemoryBucket } from './memoryStore';

const model = parseLocation('s3://b/models/m');
const asStore = (b: MemoryBucket) => b as unknown as ModelStore;

describe('model repository listings (versions, paging, request counts)', () => {
  it('lists every version with validity and size in one recursive listing, never more than one listing per version', async () => {
    const bucket = new MemoryBucket();
    for (let v = 1; v <= 100; v++) {
      bucket.put(`models/m/${v}/saved_model.pb`, 'graph');
      for (let f = 1; f < 100; f++) bucket.put(`models/m/${v}/variables/variables.data-${f}`, 'ww');
    }
    bucket.put('models/m/v2/saved_model.pb');
    bucket.requests = 0;
    const all = await listAllVersions(asStore(bucket), model);
    assert.strictEqual(all.versions.length, 100);
    assert.deepStrictEqual(all.versions.slice(0, 2).map((v) => [v.version, v.valid, v.objects, v.bytes]), [[1, true, 100, 5 + 99 * 2], [2, true, 100, 5 + 99 * 2]]);
    assert.deepStrictEqual(all.ignored.map((i) => i.folder), ['v2']);
    assert.strictEqual(all.servedByDefault, 100);
    // 10,001 objects in pages of 1000; the delimiter listing plus one listing per version would take 101.
    assert.strictEqual(bucket.requests, 11);
  });

  it('takes the next version number over every page, counting folders TF Serving cannot load', async () => {
    const bucket = new MemoryBucket(10);
    for (let v = 1; v <= 25; v++) bucket.put(`models/m/${v}/saved_model.pb`);
    bucket.put('models/m/26/assets/only.txt').put('models/m/.staging-27/x');
    assert.strictEqual(await nextVersionNumber(asStore(bucket), model), 27);
    assert.strictEqual((await listVersionNumbers(asStore(bucket), model)).length, 26);
    assert.strictEqual(await nextVersionNumber(asStore(new MemoryBucket()), model), 1);
  });

  it('checks bucket versions down to the one the server loads, with their size, and the rest on demand', async () => {
    const bucket = new MemoryBucket();
    bucket.put('models/m/1/saved_model.pb', '1234').put('models/m/2/saved_model.pb', '12').put('models/m/3/variables/variables.index');
    bucket.requests = 0;
    const page = await listVersions(asStore(bucket), model, { check: 'untilValid' });
    assert.deepStrictEqual(page.versions.map((v) => [v.version, v.valid, v.unchecked ?? false, v.bytes]), [[1, true, true, undefined], [2, true, false, 2], [3, false, false, 1]]);
    assert.deepStrictEqual(page.versions[2].missing, ['saved_model.pb']);
    assert.strictEqual(page.servedByDefault, 2);
    assert.strictEqual(bucket.requests, 3);
    const checked = await checkVersion(asStore(bucket), page.versions[0]);
    assert.deepStrictEqual([checked.valid, checked.unchecked, checked.bytes, checked.objects], [true, false, 4, 1]);
  });

  it('pages a level and hands back the continuation token', async () => {
    const bucket = new MemoryBucket(2);
    for (const v of [1, 2, 3]) bucket.put(`models/m/${v}/model.tflite`);
    const first = await listVersions(asStore(bucket), model, { pageSize: 2 });
    assert.deepStrictEqual(first.versions.map((v) => v.version), [1, 2]);
    const second = await listVersions(asStore(bucket), model, { pageSize: 2, pageToken: first.nextToken });
    assert.deepStrictEqual([second.versions.map((v) => v.version), second.nextToken], [[3], undefined]);
  });
});
