// Safe publish (the S3 store's own mix: big files as hidden multipart uploads, small ones staged) vs a plain parallel upload,
// on the local S3 server, same run: a generated 256 MB SavedModel-shaped folder with mixed file sizes.
// Target: publish throughput ≥ 0.8 × the plain upload's.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { parseLocation } from '../src/core/location';
import { forEachLimited, publishToBucket } from '../src/core/storage/atomicPublish';
import { scanPublishSource } from '../src/core/storage/publishSource';
import { S3ModelStore } from '../src/core/storage/s3ModelStore';
import { createS3Bucket, startS3Server } from '../test/servers/testServers';
import type { BenchReport } from './run';

const MB = 1024 * 1024;
const ROUNDS = 5;

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
    const stagedMs: number[] = [];
    const sameUploaderMs: number[] = [];
    const phases: string[] = [];
    let version = 0;
    const plain = async (round: number) => {
      // Plain: the same files, lib-storage's uploader and the same parallelism (4 files at a time), straight to their keys.
      const t0 = Date.now();
      await forEachLimited(source.files, 4, undefined, (f) => store.uploadFile(model, f.localPath, `models/plain-${round}/${f.relPath}`, () => {}));
      plainMs.push(Date.now() - t0);
      await store.delete(parseLocation(`s3://bench/models/plain-${round}`));
    };
    const publish = async () => {
      const t0 = Date.now();
      let revealStart = 0;
      const v = ++version;
      await store.publish(dir, model, v, { onProgress: (p) => { if (!revealStart && p.message?.startsWith('Making')) revealStart = Date.now(); } });
      publishMs.push(Date.now() - t0);
      phases.push(`${revealStart - t0} + ${Date.now() - revealStart}`);
      await store.delete(parseLocation(`s3://bench/models/big/${v}`));
    };
    // For comparison: a plain upload through publish's own part uploader, each file completed as soon as its parts are
    // in. Against this, the only difference left is the atomicity itself (every completion waits for the last part).
    const sameUploader = async (round: number) => {
      const ops = store.objectOps(model);
      const t0 = Date.now();
      await forEachLimited(source.files, 4, undefined, async (f) => { await (await ops.beginUpload!(f.localPath, `models/same-${round}/${f.relPath}`, f.bytes, () => {}, async () => {})).commit(); });
      sameUploaderMs.push(Date.now() - t0);
      await store.delete(parseLocation(`s3://bench/models/same-${round}`));
    };
    // For comparison: the staged strategy (staging prefix + server-side copy) that stores without hidden uploads use.
    const staged = async () => {
      const t0 = Date.now();
      const v = ++version;
      await publishToBucket({ ...store.objectOps(model), beginUpload: undefined }, source, model.path, v);
      stagedMs.push(Date.now() - t0);
      await store.delete(parseLocation(`s3://bench/models/big/${v}`));
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer (or more fragmented) server.
      if (round % 2 === 0) { await plain(round); await publish(); } else { await publish(); await plain(round); }
      await staged();
      await sameUploader(round);
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
        'all runs ms (plain | publish | staged | same uploader)': `${plainMs.join(', ')} | ${publishMs.join(', ')} | ${stagedMs.join(', ')} | ${sameUploaderMs.join(', ')}`,
        'publish phases ms (upload + reveal), per run': phases.join(', '),
        'staged strategy for comparison: ratio': mbps(best(stagedMs)) / mbps(best(plainMs)),
        'plain upload through publish\'s part uploader: best ms': best(sameUploaderMs),
        'publish vs that upload (cost of atomicity alone): ratio': mbps(best(publishMs)) / mbps(best(sameUploaderMs)),
        'throughput ratio (publish / plain)': ratio,
      },
      target: { description: 'publish throughput ≥ 0.8 × plain upload', met: ratio >= 0.8 },
    };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
