// Safe publish (staging upload + server-side copy + staging delete) vs a plain parallel upload of the same files,
// on the local S3 server, same run: a generated 256 MB SavedModel-shaped folder with mixed file sizes.
// Target: publish throughput ≥ 0.8 × the plain upload's.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { parseLocation } from '../src/core/location';
import { forEachLimited, scanPublishSource } from '../src/core/storage/atomicPublish';
import { S3ModelStore } from '../src/core/storage/s3ModelStore';
import { createS3Bucket, startS3Server } from '../test/servers/testServers';
import type { BenchReport } from './run';

const MB = 1024 * 1024;
const ROUNDS = 2;

/** 256 MB: 8 × 24 MB shards (multipart), 16 × 3 MB shards, 1 × 9.5 MB, saved_model.pb 2 MB, and 200 small asset files. */
async function makeSavedModel256(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfss-bench-'));
  await fs.mkdir(path.join(dir, 'variables'));
  await fs.mkdir(path.join(dir, 'assets'));
  const sizes: number[] = [...Array(8).fill(24 * MB), ...Array(16).fill(3 * MB), 9.5 * MB];
  let n = 0;
  for (const size of sizes) await fs.writeFile(path.join(dir, 'variables', `variables.data-${String(n++).padStart(5, '0')}-of-${String(sizes.length).padStart(5, '0')}`), randomBytes(size));
  await fs.writeFile(path.join(dir, 'variables', 'variables.index'), randomBytes(64 * 1024));
  await fs.writeFile(path.join(dir, 'saved_model.pb'), randomBytes(2 * MB));
  for (let i = 0; i < 200; i++) await fs.writeFile(path.join(dir, 'assets', `vocab-${i}.txt`), randomBytes(2048));
  const used = (await scanPublishSource(dir)).bytes;
  await fs.writeFile(path.join(dir, 'assets', 'padding.bin'), randomBytes(256 * MB - used));
  return dir;
}

export async function publishVsPlainUpload(): Promise<BenchReport> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const server = await startS3Server();
  const dir = await makeSavedModel256();
  try {
    await createS3Bucket(server, 'bench');
    const store = new S3ModelStore({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
    const model = parseLocation('s3://bench/models/big');
    const source = await scanPublishSource(dir);
    const plainMs: number[] = [];
    const publishMs: number[] = [];
    const phases: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Plain: the same files, the same uploader and parallelism (4 files at a time), straight to their final keys.
      let t0 = Date.now();
      await forEachLimited(source.files, 4, undefined, (f) => store.uploadFile(model, f.localPath, `models/plain-${round}/${f.relPath}`, () => {}));
      plainMs.push(Date.now() - t0);
      await store.delete(parseLocation(`s3://bench/models/plain-${round}`));

      t0 = Date.now();
      let copyStart = 0;
      await store.publish(dir, model, round + 1, { onProgress: (p) => { if (!copyStart && p.message?.startsWith('Copying')) copyStart = Date.now(); } });
      publishMs.push(Date.now() - t0);
      phases.push(`${copyStart - t0} + ${Date.now() - copyStart}`);
      await store.delete(parseLocation(`s3://bench/models/big/${round + 1}`));
    }
    const best = (xs: number[]) => Math.min(...xs);
    const mbps = (ms: number) => source.bytes / MB / (ms / 1000);
    const ratio = mbps(best(publishMs)) / mbps(best(plainMs));
    return {
      name: `Publish a ${Math.round(source.bytes / MB)} MB SavedModel (${source.files.length} files) to the local S3 server vs a plain parallel upload`,
      figures: {
        'bytes': source.bytes,
        'files': source.files.length,
        'plain upload: best ms': best(plainMs),
        'plain upload: MB/s': mbps(best(plainMs)),
        'safe publish: best ms': best(publishMs),
        'safe publish: MB/s': mbps(best(publishMs)),
        'all runs ms (plain | publish)': `${plainMs.join(', ')} | ${publishMs.join(', ')}`,
        'publish phases ms (staging upload + copy/cleanup), per run': phases.join(', '),
        'throughput ratio (publish / plain)': ratio,
      },
      target: { description: 'publish throughput ≥ 0.8 × plain upload', met: ratio >= 0.8 },
    };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
