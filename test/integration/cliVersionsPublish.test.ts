// The `versions` and `publish` CLI commands as a user runs them: a child process, credentials and endpoints from
// AWS_* / STORAGE_EMULATOR_HOST / flags, against the real local S3 server and GCS emulator.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Bucket, repoRoot, startGcsEmulator, startS3Server, type RunningServer, type S3TestServer } from '../servers/testServers';
import { createStorage } from '../../src/core/storage/gcsModelStore';
import { fixtureSavedModel, fixtureTflite, makeSavedModel, removeTempDirs } from './s3GcsStoreSuite';

const cli = path.join(repoRoot, 'out/src/cli.js');

interface Run { code: number; stdout: string; stderr: string }

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: only what the test passes, so no developer credentials leak in.
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent-tfss-home', AWS_EC2_METADATA_DISABLED: 'true' };
    execFile(process.execPath, [cli, ...args], { env: { ...base, ...env }, cwd: repoRoot, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('CLI: versions and publish against real servers', function () {
  this.timeout(90_000);
  let s3: S3TestServer;
  let gcs: RunningServer;
  let awsEnv: NodeJS.ProcessEnv;
  const bucket = 'tfss-cli';

  before(async function () {
    this.timeout(120_000);
    [s3, gcs] = await Promise.all([startS3Server(), startGcsEmulator()]);
    await createS3Bucket(s3, bucket);
    awsEnv = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region };
    const raw = new S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    // Folders TF Serving ignores, and a numeric one it cannot load.
    for (const key of ['models/hpt/v2/saved_model.pb', 'models/hpt/1.0/saved_model.pb', 'models/hpt/7/variables/variables.index']) {
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'pb' }));
    }
    raw.destroy();
  });
  after(async () => {
    await removeTempDirs();
    await Promise.all([s3?.stop(), gcs?.stop()]);
  });

  it('publish to s3:// with AWS_* env, --endpoint and --path-style, then versions --json prints the documented shape', async () => {
    const pub = await run(['publish', fixtureSavedModel, `s3://${bucket}/models/hpt`, '--version', '00000123', '--endpoint', s3.endpoint, '--path-style'], awsEnv);
    assert.strictEqual(pub.code, 0, pub.stderr);
    assert.match(pub.stdout, /^Published version 123 to s3:\/\/tfss-cli\/models\/hpt\/123 \(4 files, /);
    const res = await run(['versions', `s3://${bucket}/models/hpt`, '--json', '--endpoint', s3.endpoint, '--path-style'], awsEnv);
    assert.strictEqual(res.code, 0, res.stderr);
    assert.strictEqual(res.stderr, '');
    const json = JSON.parse(res.stdout);
    assert.deepStrictEqual(Object.keys(json), ['model', 'versions', 'ignored']);
    assert.strictEqual(json.model, 's3://tfss-cli/models/hpt');
    assert.deepStrictEqual(json.versions.map((v: { version: number }) => v.version), [7, 123]);
    for (const v of json.versions) {
      assert.deepStrictEqual(Object.keys(v), ['version', 'folder', 'valid', 'missing', 'bytes', 'objects', 'lastModified']);
      assert.ok(!Number.isNaN(Date.parse(v.lastModified)) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v.lastModified), v.lastModified);
    }
    const [seven, v123] = json.versions;
    assert.deepStrictEqual([seven.folder, seven.valid, seven.missing, seven.bytes, seven.objects], ['7', false, ['saved_model.pb'], 2, 1]);
    assert.deepStrictEqual([v123.folder, v123.valid, v123.missing, v123.objects], ['123', true, [], 4]);
    let fixtureBytes = 0;
    for (const f of ['saved_model.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001', 'assets/foo.txt']) fixtureBytes += (await fs.stat(path.join(fixtureSavedModel, f))).size;
    assert.strictEqual(v123.bytes, fixtureBytes);
    assert.deepStrictEqual([...json.ignored].sort(), ['1.0', 'v2']);
  });

  it('publish without --version takes latest + 1; versions (text) explains ignored folders and the polling cost', async () => {
    const pub = await run(['publish', fixtureTflite, `s3://${bucket}/models/hpt`, '--endpoint', s3.endpoint, '--path-style'], awsEnv);
    assert.strictEqual(pub.code, 0, pub.stderr);
    assert.match(pub.stdout, /Published version 124 /);
    const res = await run(['versions', `s3://${bucket}/models/hpt`, '--endpoint', s3.endpoint, '--path-style', '--poll-seconds', '2'], awsEnv);
    assert.strictEqual(res.code, 0, res.stderr);
    assert.match(res.stdout, /TF Serving loads version 124 by default/);
    assert.match(res.stdout, /ignored: "v2" is not a version.*rename it to "2"/);
    assert.match(res.stdout, /ignored: "1\.0" is not a version/);
    assert.match(res.stdout, /Polling cost \(one poll = 1 list request\(s\), \d+ response bytes, measured\)/);
    assert.match(res.stdout, /every 2 s: 1,800 list requests/);
    assert.match(res.stdout, /every 120 s: 30 list requests/);
  });

  it('refuses to overwrite a version: exit 1 with one line naming the repository', async () => {
    const res = await run(['publish', fixtureSavedModel, `s3://${bucket}/models/hpt`, '--version', '123', '--endpoint', s3.endpoint, '--path-style'], awsEnv);
    assert.strictEqual(res.code, 1);
    assert.strictEqual(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /Version 123 already exists in s3:\/\/tfss-cli\/models\/hpt\/123\//);
  });

  it('a wrong secret in AWS_SECRET_ACCESS_KEY: exit 1, one line, no secret', async () => {
    const wrong = 'definitely-wrong-secret-999';
    const res = await run(['versions', `s3://${bucket}/models/hpt`, '--endpoint', s3.endpoint, '--path-style'], { ...awsEnv, AWS_SECRET_ACCESS_KEY: wrong });
    assert.strictEqual(res.code, 1);
    assert.strictEqual(res.stdout, '');
    assert.strictEqual(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /^tfserving-studio versions: Cannot list in s3:\/\/tfss-cli\/models\/hpt: the secret access key is wrong/);
    assert.ok(!res.stderr.includes(wrong) && !res.stderr.includes(s3.secretAccessKey));
  });

  it('--profile reads the shared config files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE', async () => {
    const dir = await fs.mkdtemp(path.join(repoRoot, 'out', 'tfss-aws-'));
    await fs.writeFile(path.join(dir, 'config'), '[profile studio]\nregion = us-east-1\n');
    await fs.writeFile(path.join(dir, 'credentials'), `[studio]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`);
    const res = await run(['versions', `s3://${bucket}/models/hpt`, '--json', '--endpoint', s3.endpoint, '--path-style', '--profile', 'studio'],
      { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
    await fs.rm(dir, { recursive: true, force: true });
    assert.strictEqual(res.code, 0, res.stderr);
    assert.deepStrictEqual(JSON.parse(res.stdout).versions.map((v: { version: number }) => v.version), [7, 123, 124]);
  });

  it('an unreachable --endpoint fails within seconds with one line', async () => {
    const t0 = Date.now();
    const res = await run(['versions', `s3://${bucket}/models/hpt`, '--endpoint', 'http://127.0.0.1:9', '--path-style'], awsEnv);
    assert.strictEqual(res.code, 1);
    assert.match(res.stderr, /http:\/\/127\.0\.0\.1:9 is unreachable/);
    assert.ok(Date.now() - t0 < 15_000);
  });

  it('gs:// through STORAGE_EMULATOR_HOST: publish, then versions --json', async () => {
    const env = { STORAGE_EMULATOR_HOST: gcs.endpoint };
    const source = await makeSavedModel(2, 50_000);
    const pub = await run(['publish', source, 'gs://tfss-cli/models/mnist'], env);
    assert.strictEqual(pub.code, 0, pub.stderr);
    assert.match(pub.stdout, /Published version 1 to gs:\/\/tfss-cli\/models\/mnist\/1 \(4 files, /);
    const storage = await createStorage({ apiEndpoint: gcs.endpoint });
    await storage.bucket('tfss-cli').file('models/mnist/v2/saved_model.pb').save('x', { resumable: false });
    const res = await run(['versions', 'gs://tfss-cli/models/mnist', '--json'], env);
    assert.strictEqual(res.code, 0, res.stderr);
    const json = JSON.parse(res.stdout);
    assert.deepStrictEqual(json.versions.map((v: { version: number; valid: boolean; objects: number }) => [v.version, v.valid, v.objects]), [[1, true, 4]]);
    assert.deepStrictEqual(json.ignored, ['v2']);
  });

  it('usage errors exit 2', async () => {
    assert.strictEqual((await run(['versions'], {})).code, 2);
    assert.strictEqual((await run(['publish', 'only-one-arg'], {})).code, 2);
    assert.strictEqual((await run(['versions', 's3://b/m', '--bogus', 'x'], {})).code, 2);
  });
});
