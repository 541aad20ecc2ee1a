// `tfserving-studio warmup` as a user runs it (the built CLI in a child process): a local version gets the file in
// place (never over an existing one without --force), --out writes elsewhere, too many records are refused, and a
// bucket version on the local S3 server and GCS emulator is published again as the next version holding the file.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseLocation } from '../../src/core/location';
import { openStore } from '../../src/core/storage/storeRegistry';
import { storeVersionSource } from '../../src/core/model/storeVersionSource';
import { inspectVersion } from '../../src/core/model/modelInspector';
import { readTfRecords } from '../../src/core/warmup/tfRecord';
import { createS3Bucket, repoRoot, startGcsEmulator, startS3Server, type RunningServer, type S3TestServer } from '../servers/testServers';
import { fixtureSavedModel } from './s3GcsStoreSuite';

const cli = path.join(repoRoot, 'out/src/cli.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent-tfss-home', AWS_EC2_METADATA_DISABLED: 'true' };
    execFile(process.execPath, [cli, ...args], { env: { ...base, ...env }, cwd: repoRoot, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('CLI: warmup (local folders, S3 server, GCS emulator)', function () {
  this.timeout(120_000);
  let s3: S3TestServer;
  let gcs: RunningServer;
  let work: string;

  before(async function () {
    this.timeout(120_000);
    [s3, gcs] = await Promise.all([startS3Server(), startGcsEmulator()]);
    await createS3Bucket(s3, 'tfss-warmup');
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'tfss-warmup-cli-'));
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
    await Promise.all([s3?.stop(), gcs?.stop()]);
  });

  it('writes a local version\'s file, refuses to replace it without --force, writes --out files, refuses more than 1,000 records', async () => {
    const version = path.join(work, 'hpt', '1');
    await fs.cp(fixtureSavedModel, version, { recursive: true });
    let res = await run(['warmup', version, '--records', '3', '--batch-size', '2']);
    assert.strictEqual(res.code, 0, res.stderr);
    const file = path.join(version, 'assets.extra', 'tf_serving_warmup_requests');
    assert.match(res.stdout, new RegExp(`^Wrote ${file.replace(/[.\\/]/g, '\\$&')}: 3 predict requests for signature "serving_default" \\(\\d+ B\\)\\.`));
    const first = await fs.readFile(file);
    res = await run(['warmup', version, '--records', '5']);
    assert.strictEqual(res.code, 2);
    assert.match(res.stderr, /already has assets\.extra\/tf_serving_warmup_requests; it was left as it is\.\n {2}Choose to replace it \(--force in the CLI\)/);
    assert.deepStrictEqual(await fs.readFile(file), first, 'nothing was lost');
    res = await run(['warmup', version, '--records', '5', '--force']);
    assert.strictEqual(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Replaced .*: 5 predict requests/);
    const out = path.join(work, 'elsewhere.tfrecord');
    res = await run(['warmup', version, '--records', '2', '--out', out]);
    assert.strictEqual(res.code, 0, res.stderr);
    assert.strictEqual(readTfRecords(await fs.readFile(out)).records.length, 2);
    res = await run(['warmup', version, '--records', '1001']);
    assert.strictEqual(res.code, 2);
    assert.match(res.stderr, /--records must be a whole number from 1 to 1,000, not 1001\.\n {2}TF Serving reads at most 1,000 warmup records/);
    res = await run(['warmup', version, '--signature', 'nope']);
    assert.strictEqual(res.code, 2);
    assert.match(res.stderr, /has no signature "nope"\.\n {2}Its signatures are serving_default, classify_x_to_y, [a-z_0-9, ]+; pass one with --signature\./);
    res = await run(['inspect', version]);
    assert.strictEqual(res.code, 0, res.stderr);
    assert.match(res.stderr, /^warmup: 5 predict requests$/m);
  });

  for (const scheme of ['s3', 'gs'] as const) {
    it(`publishes a ${scheme}:// version again as the next version holding the file; the old version stays as it was`, async () => {
      const env: NodeJS.ProcessEnv = scheme === 's3'
        ? { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region }
        : { STORAGE_EMULATOR_HOST: gcs.endpoint };
      const flags = scheme === 's3' ? ['--endpoint', s3.endpoint, '--path-style'] : [];
      const model = `${scheme}://tfss-warmup/models/hpt`;
      let res = await run(['publish', fixtureSavedModel, model, '--version', '7', ...flags], env);
      assert.strictEqual(res.code, 0, res.stderr);
      res = await run(['warmup', `${model}/7`, '--records', '4', ...flags], env);
      assert.strictEqual(res.code, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`^Published version 8 to ${model.replace(/[.\\/]/g, '\\$&')}/8: version 7 plus assets\\.extra/tf_serving_warmup_requests with 4 predict requests`));
      const store = await openStore(parseLocation(model), scheme === 's3'
        ? { endpoint: s3.endpoint, forcePathStyle: true, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
        : { endpoint: gcs.endpoint });
      const eight = await inspectVersion(storeVersionSource(store, parseLocation(`${model}/8`)));
      assert.deepStrictEqual([eight.warmup?.check.predictRequests, eight.warmup?.check.problems], [4, []]);
      const seven = await inspectVersion(storeVersionSource(store, parseLocation(`${model}/7`)));
      assert.strictEqual(seven.warmup, undefined);
    });
  }
});
