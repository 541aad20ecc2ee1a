// Starts the local S3 server and GCS emulator and seeds a `models` bucket in each with TF Serving's test models,
// for the extension tests and the `npm start` demo. Plain JS so scripts can use it without compiling tests.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const REPO = path.resolve(__dirname, '../..');
// The SDK warns on Node 20 at every client creation; the seeding is ours, the warning is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Test-only keys for the local S3 server's signature check; not AWS keys.
const S3_KEY = { accessKeyId: 'AKIATFSERVINGSTUDIO1', secretAccessKey: 'tfss-test-secret/not-a-real-key+0123456789' };
const BUCKET = 'models';
const SEED = ['saved_model_half_plus_two_cpu', 'saved_model_half_plus_two_2_versions', 'saved_model_half_plus_two_tflite'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function start(script, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'test/servers', script), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} did not start:\n${out}`)); }, 60000);
    child.stdout.on('data', (d) => { out += d; const m = ready.exec(out); if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); } });
    child.stderr.on('data', (d) => { out += d; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code}:\n${out}`)); });
  });
}

function filesUnder(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, r) : [r];
  });
}

/**
 * Starts both servers and seeds gs://models/<model>/… and s3://models/<model>/…; returns endpoints and stop().
 * `models` is a list of fixture folders, or an object { bucketModelName: fixtureFolder }.
 */
async function startSeededBuckets({ fixtures = path.join(REPO, 'test/fixtures/tf-serving'), models = SEED } = {}) {
  const seed = Array.isArray(models) ? models.map((m) => [m, m]) : Object.entries(models);
  const s3 = await start('s3Server.mjs', ['0'], { S3_VERIFY: `${S3_KEY.accessKeyId}:${S3_KEY.secretAccessKey}` }, /S3_READY (\S+)/);
  const gcsPort = await freePort();
  const gcs = await start('gcsEmulator.cjs', [String(gcsPort)], {}, /GCS_READY (\S+)/);
  const stop = async () => { for (const c of [s3.child, gcs.child]) if (c.exitCode === null) c.kill('SIGTERM'); };
  try {
    const { S3Client, CreateBucketCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: S3_KEY });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const { Storage } = require('@google-cloud/storage');
    const storage = new Storage({ apiEndpoint: gcs.url, projectId: 'demo-tfserving-studio' });
    for (const [model, folder] of seed) {
      for (const rel of filesUnder(path.join(fixtures, folder))) {
        const body = fs.readFileSync(path.join(fixtures, folder, rel));
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${model}/${rel}`, Body: body }));
        await storage.bucket(BUCKET).file(`${model}/${rel}`).save(body, { resumable: false });
      }
    }
    client.destroy();
  } catch (e) {
    await stop();
    throw e;
  }
  return { s3: { endpoint: s3.url, bucket: BUCKET, ...S3_KEY }, gcs: { endpoint: gcs.url, bucket: BUCKET }, models: seed.map(([m]) => m), stop };
}

module.exports = { startSeededBuckets };

if (require.main === module) {
  // Standalone: print the endpoints as JSON and run until killed.
  startSeededBuckets().then((b) => {
    console.log(JSON.stringify({ s3: { endpoint: b.s3.endpoint, bucket: b.s3.bucket }, gcs: b.gcs, models: b.models }));
    const bye = () => b.stop().then(() => process.exit(0));
    process.on('SIGINT', bye);
    process.on('SIGTERM', bye);
  }, (e) => { console.error(e.message); process.exit(1); });
}
