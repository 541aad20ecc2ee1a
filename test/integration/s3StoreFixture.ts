// One S3 server, bucket, raw client and S3ModelStore for a suite, with the shared bucket-store and publish-safety
// suites run against them: the same set-up for every S3 implementation (fauxqs, moto), only the server differs.
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseLocation, type ModelLocation } from '../../src/core/location';
import { S3ModelStore, type S3RepositoryOptions } from '../../src/core/storage/s3ModelStore';
import { createS3Bucket, type S3TestServer } from '../servers/testServers';
import { bucketStoreSuite, removeTempDirs } from './s3GcsStoreSuite';
import { publishSafetySuite } from './publishSafetySuite';

export interface S3Fixture {
  readonly server: S3TestServer;
  readonly raw: S3Client;
  readonly store: S3ModelStore;
  readonly repo: ModelLocation;
  readonly bucket: string;
  options(): S3RepositoryOptions;
}

/** Call inside describe(): starts the server before the suite, stops it after; returns the fixture's getter. */
export function useS3Store(start: () => Promise<S3TestServer>, bucket: string, conditionalWrites: boolean): () => S3Fixture {
  let fixture: S3Fixture | undefined;
  const repo = parseLocation(`s3://${bucket}/repo`);
  before(async function () {
    this.timeout(90_000);
    const server = await start();
    await createS3Bucket(server, bucket);
    const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    const options = (): S3RepositoryOptions => ({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials });
    const raw = new S3Client({ region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials });
    fixture = { server, raw, store: new S3ModelStore(options()), repo, bucket, options };
  });
  after(async () => {
    await removeTempDirs();
    fixture?.raw.destroy();
    await fixture?.server.stop();
  });
  const get = () => fixture!;
  const put = async (key: string, body: string | Uint8Array) => { await get().raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })); };

  bucketStoreSuite(() => ({ store: get().store, repo, pollPageSize: 100, strictPageSize: true, put }));
  publishSafetySuite(() => ({
    store: get().store, other: new S3ModelStore(get().options()), repo, conditionalWrites,
    everything: async (model) => new Map((await get().store.listObjects(model, `${model.path}/`)).map((o) => [o.key.slice(model.path.length + 1), o.bytes])),
    write: (model, rel, body) => put(`${model.path}/${rel}`, body),
  }));
  return get;
}
