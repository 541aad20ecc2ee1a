import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseLocation } from '../../src/core/location';
import { listAllVersions, listModels, listVersions } from '../../src/core/model/modelRepository';
import { LocalModelStore } from '../../src/core/storage/localModelStore';
import { StoreError } from '../../src/core/storage/modelStore';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/tf-serving');

/** Builds a repository folder from a compact description: { model: { folder: [files] } }. */
async function aRepository(layout: Record<string, Record<string, string[]>>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-repo-'));
  for (const [model, versions] of Object.entries(layout)) {
    await fs.mkdir(path.join(root, model), { recursive: true });
    for (const [folder, files] of Object.entries(versions)) {
      await fs.mkdir(path.join(root, model, folder), { recursive: true });
      for (const f of files) {
        await fs.mkdir(path.dirname(path.join(root, model, folder, f)), { recursive: true });
        await fs.writeFile(path.join(root, model, folder, f), `content of ${f}`);
      }
    }
  }
  return root;
}

describe('LocalModelStore and repository listing', () => {
  const store = new LocalModelStore();

  it('lists the fixture repository with TF Serving version semantics', async () => {
    const repo = parseLocation(fixtures);
    const { models } = await listModels(store, repo);
    assert.ok(models.some((m) => m.name === 'saved_model_half_plus_two_2_versions'));
    const two = models.find((m) => m.name === 'saved_model_half_plus_two_2_versions')!;
    const listing = await listAllVersions(store, two.location);
    assert.deepStrictEqual(listing.versions.map((v) => [v.version, v.folder, v.valid]), [[123, '00000123', true], [124, '00000124', true]]);
    assert.strictEqual(listing.servedByDefault, 124);
    // saved_model.pb 9935 + variables 12 + 151 + assets/foo.txt 19
    assert.strictEqual(listing.versions[0].bytes, 9935 + 12 + 151 + 19);
    assert.strictEqual(listing.versions[0].objects, 4);
  });

  it('reports ignored and invalid folders and skips invalid versions for the default', async () => {
    const root = await aRepository({ m: { '1': ['saved_model.pb', 'variables/variables.index'], '2': ['variables/variables.index'], v3: ['model.tflite'], '1.0': ['x'] } });
    const listing = await listVersions(store, parseLocation(path.join(root, 'm')));
    assert.deepStrictEqual(listing.versions.map((v) => [v.version, v.valid, v.missing]), [[1, true, []], [2, false, ['saved_model.pb']]]);
    assert.deepStrictEqual(listing.ignored.map((i) => i.folder).sort(), ['1.0', 'v3']);
    assert.strictEqual(listing.servedByDefault, 1);
  });

  it('pages a level', async () => {
    const root = await aRepository({ a: {}, b: {}, c: {}, d: {}, e: {} });
    const repo = parseLocation(root);
    const first = await store.listChildren(repo, { pageSize: 2 });
    assert.deepStrictEqual(first.items.map((i) => i.name), ['a', 'b']);
    const second = await store.listChildren(repo, { pageSize: 2, pageToken: first.nextToken });
    assert.deepStrictEqual(second.items.map((i) => i.name), ['c', 'd']);
    const last = await store.listChildren(repo, { pageSize: 2, pageToken: second.nextToken });
    assert.deepStrictEqual(last.items.map((i) => i.name), ['e']);
    assert.strictEqual(last.nextToken, undefined);
  });

  it('publishes atomically with the graph file last and refuses to overwrite', async () => {
    const root = await aRepository({ m: { '1': ['model.tflite'] } });
    const model = parseLocation(path.join(root, 'm'));
    const source = path.join(fixtures, 'saved_model_half_plus_two_cpu', '00000123');
    const seen: string[] = [];
    const result = await store.publish(source, model, 2, { onProgress: (p) => seen.push(p.message ?? '') });
    assert.strictEqual(result.files, 4);
    assert.strictEqual(seen[seen.length - 1], 'saved_model.pb');
    const copied = await fs.readFile(path.join(root, 'm', '2', 'saved_model.pb'));
    assert.deepStrictEqual(copied, await fs.readFile(path.join(source, 'saved_model.pb')));
    await assert.rejects(store.publish(source, model, 2), (e: unknown) => e instanceof StoreError && /already exists/.test(e.message));
    assert.deepStrictEqual((await fs.readdir(path.join(root, 'm'))).sort(), ['1', '2']);
  });

  it('leaves nothing behind when a publish is cancelled', async () => {
    const root = await aRepository({ m: {} });
    const model = parseLocation(path.join(root, 'm'));
    const ctl = new AbortController();
    ctl.abort();
    await assert.rejects(store.publish(path.join(fixtures, 'saved_model_half_plus_two_cpu', '00000123'), model, 7, { signal: ctl.signal }), /cancelled/);
    assert.deepStrictEqual(await fs.readdir(path.join(root, 'm')), []);
  });

  it('rejects sources TF Serving could not load', async () => {
    const root = await aRepository({ m: { '1': ['variables/variables.index'] } });
    await assert.rejects(store.publish(path.join(root, 'm', '1'), parseLocation(path.join(root, 'm')), 2), /missing saved_model\.pb/);
    await assert.rejects(store.publish(path.join(root, 'nope'), parseLocation(root), 2), /does not exist/);
  });

  it('refuses a version number TF Serving cannot read as an int64, creating nothing', async () => {
    const root = await aRepository({ m: {} });
    const source = path.join(fixtures, 'saved_model_half_plus_two_cpu', '00000123');
    for (const bad of [1e20, -1, 1.5]) {
      await assert.rejects(store.publish(source, parseLocation(path.join(root, 'm')), bad), (e: unknown) => e instanceof StoreError && /not a version number/.test(e.message), String(bad));
    }
    assert.deepStrictEqual(await fs.readdir(path.join(root, 'm')), []);
  });

  it('downloads without overwriting and deletes with a count', async () => {
    const root = await aRepository({ m: { '5': ['saved_model.pb', 'variables/v.index'] } });
    const version = parseLocation(path.join(root, 'm', '5'));
    const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'tfs-dl-'));
    assert.deepStrictEqual(await store.download(version, dest), { files: 2, bytes: 'content of saved_model.pb'.length + 'content of variables/v.index'.length });
    await assert.rejects(store.download(version, dest), /already exists/);
    assert.strictEqual(await store.delete(version), 2);
    await assert.rejects(fs.stat(path.join(root, 'm', '5')));
  });

  it('says what is wrong with a missing repository', async () => {
    await assert.rejects(listModels(store, parseLocation('/definitely/not/here')), (e: unknown) => e instanceof StoreError && /does not exist/.test(e.message) && !!e.hint);
  });
});
