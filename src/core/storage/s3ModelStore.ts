// ModelStore for `s3://bucket/prefix`: AWS S3 and S3-compatible servers (MinIO, Ceph, LocalStack…) through a custom
// endpoint with path-style addressing. Levels are read with delimiter listings only; publish sends big files as
// multipart uploads straight to their final keys, completed only at the end, and stages the small ones
// (atomicPublish.ts, s3DeferredUpload.ts). The SDK is loaded lazily so activation stays fast.
import { createReadStream, promises as fs } from 'fs';
import type { Readable } from 'stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { formatLocation, type ModelLocation } from '../location';
import { StoreError, type ListOptions, type ModelStore, type Page, type PublishInProgress, type PublishOptions, type PublishResult, type RepairOptions, type RepairOutcome, type StoreEntry, type TransferOptions } from './modelStore';
import { publishToBucket, type BucketObjectOps } from './atomicPublish';
import { scanPublishSource } from './publishSource';
import { listBucketPublishes, repairBucketModel } from './bucketRepair';
import { mapS3Error } from './s3Errors';
import { measureHttpResponses, type LevelMeasurement, type PollMeasurable } from './pollingCost';
import { downloadObjects, listAllFolderNames, prefixOf } from './bucketTransfer';
import { completeDeferred, uploadDeferred } from './s3DeferredUpload';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Per-repository settings. Explicit credentials come from the caller (the extension keeps them in SecretStorage). */
export interface S3RepositoryOptions {
  readonly region?: string;
  readonly profile?: string;
  /** e.g. http://127.0.0.1:9000 for MinIO; AWS when absent. */
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly credentials?: S3Credentials;
  /** Environment to read AWS_* from (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Connection timeout in ms; short so an unreachable endpoint fails in seconds. */
  readonly connectTimeoutMs?: number;
}

/** Parts of 8 MiB: small enough for servers that cap single requests (the local test server refuses > 11 MiB). */
export const S3_PART_SIZE = 8 * 1024 * 1024;
const DEFAULT_PAGE_SIZE = 1000;

// Loaded on first use and kept: every evaluation of `import()` re-wraps the module's hundreds of exports
// (__importStar / __toESM), which cost ~3 ms of CPU per S3 request when done per call.
let s3Sdk: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
let libStorage: Promise<typeof import('@aws-sdk/lib-storage')> | undefined;
const loadS3Sdk = () => (s3Sdk ??= import('@aws-sdk/client-s3'));
const loadLibStorage = () => (libStorage ??= import('@aws-sdk/lib-storage'));

export class S3ModelStore implements ModelStore, PollMeasurable {
  readonly scheme = 's3' as const;
  private clientPromise?: Promise<S3Client>;

  constructor(readonly options: S3RepositoryOptions = {}) {}

  /** The SDK client, created once per store (per repository). */
  client(): Promise<S3Client> {
    this.clientPromise ??= createS3Client(this.options);
    return this.clientPromise;
  }

  private ctx(loc: ModelLocation, action: string) {
    const c = this.options.credentials;
    return {
      repository: formatLocation(loc), bucket: loc.bucket, endpoint: this.options.endpoint, profile: this.options.profile ?? this.options.env?.AWS_PROFILE,
      action, secrets: c ? [c.secretAccessKey, c.sessionToken ?? ''] : [],
    };
  }

  private async run<T>(loc: ModelLocation, action: string, fn: (client: S3Client, sdk: typeof import('@aws-sdk/client-s3')) => Promise<T>): Promise<T> {
    try {
      const sdk = await loadS3Sdk();
      return await fn(await this.client(), sdk);
    } catch (e) {
      if (isAbort(e)) throw e;
      throw mapS3Error(e, this.ctx(loc, action));
    }
  }

  async listChildren(loc: ModelLocation, options: ListOptions = {}): Promise<Page<StoreEntry>> {
    const base = prefixOf(loc);
    return this.run(loc, 'list', async (client, sdk) => {
      const out = await client.send(new sdk.ListObjectsV2Command({
        Bucket: loc.bucket, Prefix: base + (options.prefix ?? ''), Delimiter: '/',
        MaxKeys: options.pageSize ?? DEFAULT_PAGE_SIZE, ContinuationToken: options.pageToken,
      }));
      const items: StoreEntry[] = [];
      for (const p of out.CommonPrefixes ?? []) {
        const name = p.Prefix!.slice(base.length).replace(/\/$/, '');
        if (name) items.push({ name, kind: 'folder' });
      }
      for (const o of out.Contents ?? []) {
        const name = o.Key!.slice(base.length);
        if (name) items.push({ name, kind: 'file', bytes: o.Size, lastModified: o.LastModified });
      }
      return { items, nextToken: out.IsTruncated ? out.NextContinuationToken : undefined };
    });
  }

  async listFiles(loc: ModelLocation): Promise<StoreEntry[]> {
    const base = prefixOf(loc);
    return (await this.listObjects(loc, base)).filter((o) => o.key.length > base.length && !o.key.endsWith('/'))
      .map((o) => ({ name: o.key.slice(base.length), kind: 'file' as const, bytes: o.bytes, lastModified: o.lastModified }));
  }

  /** Recursive listing of every key under prefix (folder markers included). */
  async listObjects(loc: ModelLocation, prefix: string): Promise<{ key: string; bytes: number; lastModified?: Date }[]> {
    return this.run(loc, 'list', async (client, sdk) => {
      const out: { key: string; bytes: number; lastModified?: Date }[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) out.push({ key: o.Key!, bytes: o.Size ?? 0, lastModified: o.LastModified });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    });
  }

  async readFile(loc: ModelLocation): Promise<Uint8Array> {
    return this.run(loc, 'read', async (client, sdk) => {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: loc.bucket, Key: loc.path }));
      return out.Body!.transformToByteArray();
    });
  }

  async publish(source: string, modelLoc: ModelLocation, version: number, options: PublishOptions = {}): Promise<PublishResult> {
    const scanned = await scanPublishSource(source);
    const result = await publishToBucket(this.objectOps(modelLoc), scanned, modelLoc.path, version, options);
    return { version: result.version, location: { ...modelLoc, path: result.versionPrefix.replace(/\/$/, '') }, files: result.files, bytes: result.bytes, notes: result.notes };
  }

  listPublishes(modelLoc: ModelLocation): Promise<PublishInProgress[]> {
    return listBucketPublishes(this.objectOps(modelLoc), prefixOf(modelLoc));
  }

  repair(modelLoc: ModelLocation, options?: RepairOptions): Promise<RepairOutcome[]> {
    return repairBucketModel(this.objectOps(modelLoc), prefixOf(modelLoc), options);
  }

  async download(loc: ModelLocation, destDir: string, options: TransferOptions = {}): Promise<{ files: number; bytes: number }> {
    const base = prefixOf(loc);
    return downloadObjects(await this.listFiles(loc), destDir, options, (name, write) => this.run(loc, 'download', async (client, sdk) => {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: loc.bucket, Key: base + name }), { abortSignal: options.signal as never });
      await write(out.Body as Readable);
    }));
  }


  async delete(loc: ModelLocation, options: TransferOptions = {}): Promise<number> {
    const keys = (await this.listObjects(loc, prefixOf(loc))).map((o) => o.key);
    await this.deleteKeys(loc, keys, options.signal);
    return keys.length;
  }

  private async deleteKeys(loc: ModelLocation, keys: string[], signal?: AbortSignal): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      if (signal?.aborted) throw new StoreError('Cancelled.', undefined, 'Cancelled');
      const batch = keys.slice(i, i + 1000);
      await this.run(loc, 'delete', async (client, sdk) => {
        const out = await client.send(new sdk.DeleteObjectsCommand({ Bucket: loc.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        if (out.Errors?.length) {
          const first = out.Errors[0];
          throw Object.assign(new Error(first.Message ?? 'delete failed'), { name: first.Code ?? 'DeleteFailed' });
        }
      });
    }
  }

  /** Uploads one local file to key: one PUT when small, multipart (8 MiB parts) otherwise; abortable. */
  async uploadFile(loc: ModelLocation, localPath: string, key: string, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<void> {
    await this.run(loc, 'upload', async (client) => {
      const { Upload } = await loadLibStorage();
      const upload = new Upload({ client, params: { Bucket: loc.bucket, Key: key, Body: createReadStream(localPath) }, partSize: S3_PART_SIZE, queueSize: 2, leavePartsOnError: false });
      let seen = 0;
      upload.on('httpUploadProgress', (p) => { if (p.loaded !== undefined && p.loaded > seen) { onBytes(p.loaded - seen); seen = p.loaded; } });
      // Only a multipart upload is aborted mid-flight: its object exists only after CompleteMultipartUpload. A single
      // PUT cut off client-side may still land on the server after we cleaned up, so it is left to finish (≤ 8 MiB).
      const abortable = (await fs.stat(localPath)).size > S3_PART_SIZE ? signal : undefined;
      const onAbort = () => { void upload.abort(); };
      abortable?.addEventListener('abort', onAbort, { once: true });
      try {
        if (signal?.aborted) throw new StoreError('Cancelled.', undefined, 'Cancelled');
        await upload.done();
      } finally {
        abortable?.removeEventListener('abort', onAbort);
      }
    });
  }

  objectOps(modelLoc: ModelLocation): BucketObjectOps {
    const repoLoc = { ...modelLoc, path: '' };
    return {
      repository: formatLocation(repoLoc),
      upload: (localPath, key, _bytes, onBytes, signal) => this.uploadFile(modelLoc, localPath, key, onBytes, signal),
      // No abort signal on copies: a copy cut off client-side can still complete server-side after cleanup listed
      // the numeric prefix. Copies are quick; publish stops starting new ones on abort.
      copy: (sourceKey, destKey) => this.run(modelLoc, 'copy', async (client, sdk) => {
        await client.send(new sdk.CopyObjectCommand({ Bucket: modelLoc.bucket, Key: destKey, CopySource: encodeCopySource(modelLoc.bucket, sourceKey) }));
      }),
      listObjects: (prefix) => this.listObjects(modelLoc, prefix),
      listFolderNames: (prefix) => listAllFolderNames(this, modelLoc, prefix),
      deleteKeys: (keys) => this.deleteKeys(modelLoc, keys),
      read: (key) => this.run(modelLoc, 'read', async (client, sdk) => {
        try {
          const out = await client.send(new sdk.GetObjectCommand({ Bucket: modelLoc.bucket, Key: key }));
          return await out.Body!.transformToString();
        } catch (e) {
          if (isMissing(e)) return undefined;
          throw e;
        }
      }),
      put: (key, body) => this.run(modelLoc, 'write', async (client, sdk) => {
        await client.send(new sdk.PutObjectCommand({ Bucket: modelLoc.bucket, Key: key, Body: body, ContentType: 'application/json' }));
      }),
      putIfAbsent: (key, body) => this.run(modelLoc, 'claim', async (client, sdk) => {
        try {
          await client.send(new sdk.PutObjectCommand({ Bucket: modelLoc.bucket, Key: key, Body: body, ContentType: 'application/json', IfNoneMatch: '*' }));
          return 'created' as const;
        } catch (e) {
          // 412: the key exists; 409: another conditional write to it is in flight (AWS) — someone else got there.
          const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (status === 412 || status === 409) return 'exists' as const;
          throw e;
        }
      }),
      beginUpload: (localPath, key, bytes, onBytes, onStarted, signal) => this.run(modelLoc, 'upload', (client, sdk) =>
        uploadDeferred(client, sdk, { bucket: modelLoc.bucket, key, localPath, bytes, partSize: S3_PART_SIZE, onBytes, onStarted, signal })),
      completeUpload: (key, uploadId, parts) => this.run(modelLoc, 'complete upload', (client, sdk) => completeDeferred(client, sdk, modelLoc.bucket, key, uploadId, parts)),
      abortUpload: (key, uploadId) => this.run(modelLoc, 'abort upload', async (client, sdk) => {
        await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: modelLoc.bucket, Key: key, UploadId: uploadId }));
      }),
      listUnfinishedUploads: (prefix) => this.run(modelLoc, 'list uploads', async (client, sdk) => {
        const out: { key: string; uploadId: string; initiated?: Date }[] = [];
        let keyMarker: string | undefined;
        let uploadIdMarker: string | undefined;
        do {
          const page = await client.send(new sdk.ListMultipartUploadsCommand({ Bucket: modelLoc.bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
          for (const u of page.Uploads ?? []) if (u.Key && u.UploadId) out.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated });
          [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
        } while (keyMarker);
        return out;
      }),
      // Files that fit one part are one PUT when staged, three requests as a hidden multipart upload.
      hiddenUploadMinBytes: S3_PART_SIZE + 1,
    };
  }

  /** The listing TF Serving's poll makes of a model's base path (delimiter '/', 100 keys per page as in TF's S3
   *  filesystem), with the actual response bytes read off the wire. */
  async measureLevelListing(loc: ModelLocation, pageSize = 100): Promise<LevelMeasurement> {
    const base = prefixOf(loc);
    return this.run(loc, 'measure polling cost', async (client, sdk) => {
      let entries = 0;
      let token: string | undefined;
      const measured = await measureHttpResponses(async (marker) => {
        do {
          const cmd = new sdk.ListObjectsV2Command({ Bucket: loc.bucket, Prefix: base, Delimiter: '/', MaxKeys: pageSize, ContinuationToken: token });
          cmd.middlewareStack.add((next) => async (args) => {
            (args.request as { headers: Record<string, string> }).headers[marker.header] = marker.value;
            return next(args);
          }, { step: 'build', name: 'tfssMeasureMarker' });
          const page = await client.send(cmd);
          entries += (page.CommonPrefixes?.length ?? 0) + (page.Contents?.length ?? 0);
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      });
      return { requests: measured.requests, responseBytes: measured.responseBytes, entries };
    });
  }
}

export async function createS3Client(options: S3RepositoryOptions): Promise<S3Client> {
  const sdk = await loadS3Sdk();
  const env = options.env ?? process.env;
  const profile = options.profile ?? env.AWS_PROFILE;
  let credentials: S3ClientConfig['credentials'];
  if (options.credentials) {
    credentials = { ...options.credentials };
  } else {
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    // The standard chain: env vars, shared config/credentials (profiles), SSO, credential_process, web identity, ECS/EC2.
    credentials = fromNodeProviderChain(profile ? { profile } : {});
  }
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await regionFromProfile(sdk, profile)) ?? 'us-east-1';
  const connectTimeout = options.connectTimeoutMs ?? 3000;
  return new sdk.S3Client({
    region,
    credentials,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? !!options.endpoint,
    // Fail in seconds when the endpoint is down: one retry, short connect timeout.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: connectTimeout, requestTimeout: 60_000 },
    followRegionRedirects: !options.endpoint,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function regionFromProfile(sdk: typeof import('@aws-sdk/client-s3'), profile?: string): Promise<string | undefined> {
  // The SDK's own resolver reads the profile's `region` from ~/.aws/config; no network.
  try {
    return await new sdk.S3Client(profile ? { profile } : {}).config.region();
  } catch {
    return undefined;
  }
}

function encodeCopySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function isMissing(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404;
}

function isAbort(e: unknown): boolean {
  return (e as { name?: string })?.name === 'AbortError' || (e instanceof StoreError && e.code === 'Cancelled');
}
