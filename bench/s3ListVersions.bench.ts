// Finding a model's versions with one delimiter listing vs a full recursive listing of the model, on the local S3
// server: a model with 100 versions × 100 files. Target: ≤ 2 requests and ≥ 20× faster.
import * as diagnosticsChannel from 'diagnostics_channel';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseLocation } from '../src/core/location';
import { parseVersionFolder } from '../src/core/model/versionRules';
import { listAllVersions, listVersions } from '../src/core/model/modelRepository';
import { S3ModelStore } from '../src/core/storage/s3ModelStore';
import { createS3Bucket, startS3Server } from '../test/servers/testServers';
import type { BenchReport } from './run';

const VERSIONS = 100;
const FILES_PER_VERSION = 100;
const ROUNDS = 7;

/** Counts HTTP requests made while fn runs (the benchmark is the only client in this process). */
async function countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number; ms: number }> {
  let requests = 0;
  const onStart = () => { requests++; };
  diagnosticsChannel.subscribe('http.client.request.start', onStart);
  const t0 = process.hrtime.bigint();
  try {
    const result = await fn();
    return { result, requests, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  } finally {
    diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function listVersionsVsRecursive(): Promise<BenchReport> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const server = await startS3Server();
  try {
    await createS3Bucket(server, 'bench');
    const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    const raw = new S3Client({ region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials });
    const keys: string[] = [];
    for (let v = 1; v <= VERSIONS; v++) {
      keys.push(`models/big/${v}/saved_model.pb`);
      for (let f = 1; f < FILES_PER_VERSION; f++) keys.push(`models/big/${v}/variables/variables.data-${String(f).padStart(5, '0')}-of-00099`);
    }
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < keys.length) await raw.send(new PutObjectCommand({ Bucket: 'bench', Key: keys[next++], Body: 'w' }));
    }));
    raw.destroy();

    const store = new S3ModelStore({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials });
    const model = parseLocation('s3://bench/models/big');
    await store.listChildren(model); // warm up the connection and the SDK
    const delimiter: { ms: number; requests: number; versions: number }[] = [];
    const recursive: { ms: number; requests: number; objects: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const d = await countRequests(async () => {
        const page = await store.listChildren(model);
        return page.items.filter((i) => i.kind === 'folder' && parseVersionFolder(i.name) !== undefined).length;
      });
      delimiter.push({ ms: d.ms, requests: d.requests, versions: d.result });
      const r = await countRequests(async () => {
        const objects = await store.listObjects(model, 'models/big/');
        // what a recursive approach must then do: derive the version folders from every key
        new Set(objects.map((o) => o.key.slice('models/big/'.length).split('/')[0]).filter((n) => parseVersionFolder(n) !== undefined));
        return objects.length;
      });
      recursive.push({ ms: r.ms, requests: r.requests, objects: r.result });
    }
    // For reference: the repository layer's listVersions also judges each version's validity (one more listing each).
    const withValidity = await countRequests(() => listVersions(store, model));
    // What `versions` (every version's validity, bytes and objects) costs, against the two ways it could be done:
    // one delimiter listing plus one listing per version, or one recursive listing.
    const allVersions = await countRequests(() => listAllVersions(store, model));
    const perVersionRequests = Math.max(...delimiter.map((d) => d.requests)) + VERSIONS;
    const recursiveRequests = recursive[0].requests;
    const dMs = median(delimiter.map((d) => d.ms));
    const rMs = median(recursive.map((r) => r.ms));
    const requests = Math.max(...delimiter.map((d) => d.requests));
    const speedup = rMs / dMs;
    return {
      name: `List a model's versions on the local S3 server (${VERSIONS} versions × ${FILES_PER_VERSION} files)`,
      figures: {
        'versions found': delimiter[0].versions,
        'delimiter listing: requests': requests,
        'delimiter listing: median ms': dMs,
        'recursive listing: requests': recursive[0].requests,
        'recursive listing: objects': recursive[0].objects,
        'recursive listing: median ms': rMs,
        'speed-up (recursive ms / delimiter ms)': speedup,
        'listVersions() incl. per-version validity: requests': withValidity.requests,
        'listVersions() incl. per-version validity: ms': withValidity.ms,
        '`versions` (all validity and sizes): requests': allVersions.requests,
        '  cheaper of 1 + one per version / recursive': Math.min(perVersionRequests, recursiveRequests),
        '`versions`: ms': allVersions.ms,
        rounds: ROUNDS,
      },
      target: {
        description: '≤ 2 requests and ≥ 20× faster than a recursive listing; `versions` costs no more requests than the cheaper way',
        met: requests <= 2 && speedup >= 20 && delimiter[0].versions === VERSIONS && allVersions.requests <= Math.min(perVersionRequests, recursiveRequests) && allVersions.result.versions.length === VERSIONS,
      },
    };
  } finally {
    await server.stop();
  }
}
