// S3ModelStore against moto's S3 server (.venv-moto/), the second S3 implementation: it honours If-None-Match: * on
// PutObject and CompleteMultipartUpload and lists unfinished multipart uploads, which fauxqs does not. The whole
// bucket-store suite runs here too, plus the publish races.
import * as assert from 'assert';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { childLocation, parseLocation } from '../../src/core/location';
import { S3ModelStore, type S3RepositoryOptions } from '../../src/core/storage/s3ModelStore';
import { createS3Bucket, startMotoServer, type S3TestServer } from '../servers/testServers';
import { bucketStoreSuite, fixtureSavedModel, removeTempDirs } from './s3GcsStoreSuite';
import { publishSafetySuite } from './publishSafetySuite';

describe('S3ModelStore against moto (conditional writes)', function () {
  this.timeout(60_000);
  let server: S3TestServer;
  let raw: S3Client;
  let store: S3ModelStore;
  const bucket = 'tfss-moto';
  const repo = parseLocation(`s3://${bucket}/repo`);
  const options = (): S3RepositoryOptions => ({
    endpoint: server.endpoint, region: server.region, forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });

  before(async function () {
    this.timeout(90_000);
    server = await startMotoServer();
    await createS3Bucket(server, bucket);
    raw = new S3Client({ region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
    store = new S3ModelStore(options());
  });
  after(async () => {
    await removeTempDirs();
    raw?.destroy();
    await server?.stop();
  });

  bucketStoreSuite(() => ({
    store, repo, pollPageSize: 100, strictPageSize: true,
    put: async (key, body) => { await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })); },
  }));

  publishSafetySuite(() => ({
    store, other: new S3ModelStore(options()), repo, conditionalWrites: true,
    everything: async (model) => new Map((await store.listObjects(model, `${model.path}/`)).map((o) => [o.key.slice(model.path.length + 1), o.bytes])),
    write: async (model, rel, body) => { await raw.send(new PutObjectCommand({ Bucket: bucket, Key: `${model.path}/${rel}`, Body: body })); },
  }));

  it('the claim is a create-only write the server refuses the second time; no fallback note', async () => {
    const ops = store.objectOps(repo);
    assert.strictEqual(await ops.putIfAbsent('repo/claim-probe/x.json', '{}'), 'created');
    assert.strictEqual(await ops.putIfAbsent('repo/claim-probe/x.json', '{}'), 'exists');
    const result = await store.publish(fixtureSavedModel, childLocation(repo, 'no-fallback'), 1);
    assert.deepStrictEqual(result.notes, []);
  });
});
