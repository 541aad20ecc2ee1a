// Publish safety on a real local folder: races between two publishes, symbolic links, the loser's plain message when
// another program writes the version folder, and `versions` on version folders linked to `.`.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';
import { parseLocation, childLocation } from '../../src/core/location';
import { listVersions } from '../../src/core/model/modelRepository';
import { LocalModelStore } from '../../src/core/storage/localModelStore';
import { StoreError } from '../../src/core/storage/modelStore';
import { repoRoot } from '../servers/testServers';
import { fixtureSavedModel, makeSavedModel, removeTempDirs, tempDir } from './s3GcsStoreSuite';
import { localSizes, publishSafetySuite } from './publishSafetySuite';

describe('Local folders: publish safety', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => { root = await tempDir('tfss-local-safety-'); });
  after(() => removeTempDirs());

  publishSafetySuite(() => ({
    store: new LocalModelStore(), other: new LocalModelStore(), repo: parseLocation(root), conditionalWrites: true,
    everything: async (model) => localSizes(model.path).catch(() => new Map()),
    write: async (model, rel, body) => { await fs.mkdir(path.dirname(path.join(model.path, rel)), { recursive: true }); await fs.writeFile(path.join(model.path, rel), body); },
  }));

  it('another program writing the version folder mid-publish: a plain message, nothing overwritten, no staging left', async () => {
    const model = childLocation(parseLocation(root), 'intruder');
    const store = new LocalModelStore();
    let intruded = false;
    const err = await store.publish(fixtureSavedModel, model, 3, {
      onProgress: () => {
        if (intruded) return;
        intruded = true;
        // Another program (not this tool, so without a claim) writes version 3 while the copy runs.
        require('fs').mkdirSync(path.join(model.path, '3'));
        require('fs').writeFileSync(path.join(model.path, '3', 'saved_model.pb'), 'theirs');
      },
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof StoreError, String(err));
    assert.match(err.message, /^Version 3 appeared in .* while this publish was running \(another program wrote .*\); nothing was overwritten and this publish was rolled back\.$/);
    assert.doesNotMatch(err.message, /ENOTEMPTY/);
    assert.deepStrictEqual(await fs.readdir(model.path), ['3']);
    assert.strictEqual(await fs.readFile(path.join(model.path, '3', 'saved_model.pb'), 'utf8'), 'theirs');
  });

  it('versions never hangs on version folders linked to "." (listing and the CLI)', async function () {
    this.timeout(30_000);
    const model = path.join(root, 'linked');
    const source = await makeSavedModel(1, 100);
    await new LocalModelStore().publish(source, parseLocation(model), 1);
    await fs.symlink('.', path.join(model, '2'));
    await fs.symlink('.', path.join(model, '3'));
    await fs.symlink('..', path.join(model, '1', 'variables', 'loop'));
    const t0 = Date.now();
    const listing = await listVersions(new LocalModelStore(), parseLocation(model));
    assert.deepStrictEqual(listing.versions.map((v) => v.version), [1, 2, 3]);
    assert.strictEqual(listing.versions[0].objects, 3, 'version 1: its own 3 files, the loop not entered');
    const cli = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [path.join(repoRoot, 'out/src/cli.js'), 'versions', model], { timeout: 20_000 }, (e, out) => resolve({ code: e ? 1 : 0, out }));
    });
    assert.strictEqual(cli.code, 0);
    assert.match(cli.out, /3 version\(s\)/);
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  });

  it('the repair CLI: says what it did, refuses to resume an upload that had not finished, usage errors exit 2', async () => {
    const model = path.join(root, 'cli-repair');
    const run = (args: string[]) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [path.join(repoRoot, 'out/src/cli.js'), ...args], { timeout: 20_000 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }));
    });
    await fs.mkdir(path.join(model, '.staging-2', 'files', 'variables'), { recursive: true });
    await fs.writeFile(path.join(model, '.staging-2', 'claim.json'), JSON.stringify({ id: 'dead', version: 2, host: 'another-machine.example', pid: 1, startedAt: new Date(0).toISOString(), expiresAt: new Date(1000).toISOString() }));
    const resume = await run(['repair', model, '--version', '2', '--resume']);
    assert.strictEqual(resume.code, 1);
    assert.match(resume.err, /Cannot resume the publish of version 2: its (upload|copy) had not finished.*Roll it back and publish again\./);
    const repaired = await run(['repair', model]);
    assert.strictEqual(repaired.code, 0, repaired.err);
    assert.match(repaired.out, /^Rolled back the interrupted publish of version 2 \(its upload had not finished\)/);
    assert.deepStrictEqual(await fs.readdir(model), []);
    const again = await run(['repair', model]);
    assert.match(again.out, /no interrupted publish; nothing to repair/);
    assert.strictEqual((await run(['repair'])).code, 2);
    assert.strictEqual((await run(['repair', model, '--resume'])).code, 2, '--resume without --version is a usage error');
    assert.strictEqual((await run(['repair', model, '--bogus=1'])).code, 2);
  });
});
