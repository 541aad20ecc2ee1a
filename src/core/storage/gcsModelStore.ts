// ModelStore for `gs://bucket/prefix` through @google-cloud/storage 8: Application Default
// Credentials, a service-account JSON key file, or an emulator (STORAGE_EMULATOR_HOST or apiEndpoint). Levels are
// read with delimiter listings only; publish goes through atomicPublish.ts. The SDK is loaded lazily.
import { createReadStream, createWriteStream } from 'fs';
import { pipeline } from 'stream/promises';
import { Transform } from 'stream';
import type { Storage, Bucket } from '@google-cloud/storage';
import { formatLocation, type ModelLocation } from '../location';
import { StoreError, type ListOptions, type ModelStore, type Page, type PublishInProgress, type PublishOptions, type PublishResult, type RepairOptions, type RepairOutcome, type StoreEntry, type TransferOptions } from './modelStore';
import { forEachLimited, publishToBucket, type BucketObjectOps } from './atomicPublish';
import { scanPublishSource } from './publishSource';
import { listBucketPublishes, repairBucketModel } from './bucketRepair';
import { mapGcsError } from './gcsErrors';
import { measureHttpResponses, type LevelMeasurement, type PollMeasurable } from './pollingCost';
import { downloadObjects, listAllFolderNames, prefixOf } from './bucketTransfer';

export interface GcsRepositoryOptions {
  /** Path of a service-account JSON key; ADC when absent. */
  readonly keyFilename?: string;
  /** A service-account key's JSON text (the extension keeps it in SecretStorage); never written to disk. */
  readonly serviceAccountJson?: string;
  readonly projectId?: string;
  /** e.g. http://127.0.0.1:9199 for an emulator; STORAGE_EMULATOR_HOST is honoured when absent. */
  readonly apiEndpoint?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const DEFAULT_PAGE_SIZE = 1000;
/** Above this a file goes up as a resumable upload (a simple upload is one request). */
const RESUMABLE_THRESHOLD = 8 * 1024 * 1024;

export class GcsModelStore implements ModelStore, PollMeasurable {
  readonly scheme = 'gs' as const;
  private storagePromise?: Promise<Storage>;

  constructor(readonly options: GcsRepositoryOptions = {}) {}

  storage(): Promise<Storage> {
    this.storagePromise ??= createStorage(this.options);
    return this.storagePromise;
  }

  private endpoint(): string | undefined {
    const env = this.options.env ?? process.env;
    return this.options.apiEndpoint ?? (env.STORAGE_EMULATOR_HOST ? emulatorUrl(env.STORAGE_EMULATOR_HOST) : undefined);
  }

  private async run<T>(loc: ModelLocation, action: string, fn: (bucket: Bucket) => Promise<T>): Promise<T> {
    try {
      return await fn((await this.storage()).bucket(loc.bucket));
    } catch (e) {
      if ((e as { name?: string })?.name === 'AbortError' || (e instanceof StoreError && e.code === 'Cancelled')) throw e;
      throw mapGcsError(e, { repository: formatLocation(loc), bucket: loc.bucket, endpoint: this.endpoint(), keyFilename: this.options.keyFilename, action });
    }
  }

  async listChildren(loc: ModelLocation, options: ListOptions = {}): Promise<Page<StoreEntry>> {
    const base = prefixOf(loc);
    return this.run(loc, 'list', async (bucket) => {
      const [files, next, response] = await bucket.getFiles({
        prefix: base + (options.prefix ?? ''), delimiter: '/', maxResults: options.pageSize ?? DEFAULT_PAGE_SIZE,
        pageToken: options.pageToken, autoPaginate: false,
      });
      const items: StoreEntry[] = [];
      for (const p of ((response as { prefixes?: string[] })?.prefixes ?? [])) {
        const name = p.slice(base.length).replace(/\/$/, '');
        if (name) items.push({ name, kind: 'folder' });
      }
      for (const f of files) {
        const name = f.name.slice(base.length);
        if (name) items.push({ name, kind: 'file', bytes: Number(f.metadata.size ?? 0), lastModified: f.metadata.updated ? new Date(f.metadata.updated) : undefined });
      }
      return { items, nextToken: (next as { pageToken?: string } | null)?.pageToken };
    });
  }

  async listFiles(loc: ModelLocation): Promise<StoreEntry[]> {
    const base = prefixOf(loc);
    return (await this.listObjects(loc, base)).filter((o) => o.key.length > base.length && !o.key.endsWith('/'))
      .map((o) => ({ name: o.key.slice(base.length), kind: 'file' as const, bytes: o.bytes, lastModified: o.lastModified }));
  }

  async listObjects(loc: ModelLocation, prefix: string): Promise<{ key: string; bytes: number; lastModified?: Date }[]> {
    return this.run(loc, 'list', async (bucket) => {
      const out: { key: string; bytes: number; lastModified?: Date }[] = [];
      // Manual paging: the returned nextQuery drops autoPaginate:false, so it is put back each time.
      let query: Record<string, unknown> | null = { prefix, autoPaginate: false, maxResults: DEFAULT_PAGE_SIZE };
      while (query) {
        const [files, next]: [{ name: string; metadata: { size?: string | number; updated?: string } }[], unknown, unknown] = await bucket.getFiles(query);
        for (const f of files) out.push({ key: f.name, bytes: Number(f.metadata.size ?? 0), lastModified: f.metadata.updated ? new Date(f.metadata.updated) : undefined });
        query = next ? { ...(next as Record<string, unknown>), autoPaginate: false } : null;
      }
      return out;
    });
  }

  async readFile(loc: ModelLocation): Promise<Uint8Array> {
    return this.run(loc, 'read', async (bucket) => (await bucket.file(loc.path).download())[0]);
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
    return downloadObjects(await this.listFiles(loc), destDir, options, (name, write) =>
      this.run(loc, 'download', (bucket) => write(bucket.file(base + name).createReadStream())));
  }


  async delete(loc: ModelLocation, options: TransferOptions = {}): Promise<number> {
    const keys = (await this.listObjects(loc, prefixOf(loc))).map((o) => o.key);
    await this.deleteKeys(loc, keys, options.signal);
    return keys.length;
  }

  private async deleteKeys(loc: ModelLocation, keys: string[], signal?: AbortSignal): Promise<void> {
    // GCS's JSON API has no multi-object delete outside batch requests; a few deletes in flight keep it quick.
    await forEachLimited(keys, 8, signal, (key) => this.run(loc, 'delete', async (bucket) => {
      try {
        await bucket.file(key).delete();
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e; // already gone is what we wanted
      }
    }));
  }

  async uploadFile(loc: ModelLocation, localPath: string, key: string, bytes: number, onBytes: (delta: number) => void, signal?: AbortSignal): Promise<void> {
    await this.run(loc, 'upload', async (bucket) => {
      const counter = new Transform({ transform(chunk: Buffer, _e, cb) { onBytes(chunk.length); cb(null, chunk); } });
      // A resumable upload cut off never becomes an object; a simple upload cut off client-side might still land
      // after cleanup, so it is left to finish (≤ 8 MiB) and only resumable ones are aborted mid-flight.
      const resumable = bytes > RESUMABLE_THRESHOLD;
      if (signal?.aborted) throw new StoreError('Cancelled.', undefined, 'Cancelled');
      await pipeline(createReadStream(localPath), counter, bucket.file(key).createWriteStream({ resumable }), resumable && signal ? { signal } : {});
    });
  }

  objectOps(modelLoc: ModelLocation): BucketObjectOps {
    return {
      repository: formatLocation({ ...modelLoc, path: '' }),
      upload: (localPath, key, bytes, onBytes, signal) => this.uploadFile(modelLoc, localPath, key, bytes, onBytes, signal),
      copy: (sourceKey, destKey) => this.run(modelLoc, 'copy', async (bucket) => { await bucket.file(sourceKey).copy(bucket.file(destKey)); }),
      listObjects: (prefix) => this.listObjects(modelLoc, prefix),
      listFolderNames: (prefix) => listAllFolderNames(this, modelLoc, prefix),
      deleteKeys: (keys) => this.deleteKeys(modelLoc, keys),
      read: (key) => this.run(modelLoc, 'read', async (bucket) => {
        try {
          return (await bucket.file(key).download())[0].toString('utf8');
        } catch (e) {
          if ((e as { code?: number }).code === 404) return undefined;
          throw e;
        }
      }),
      put: (key, body) => this.run(modelLoc, 'write', async (bucket) => {
        await bucket.file(key).save(body, { resumable: false, contentType: 'application/json' });
      }),
      putIfAbsent: (key, body) => this.run(modelLoc, 'claim', async (bucket) => {
        try {
          // ifGenerationMatch: 0 — "only if no live object has this name": GCS's create-only write.
          await bucket.file(key).save(body, { resumable: false, contentType: 'application/json', preconditionOpts: { ifGenerationMatch: 0 } });
          return 'created' as const;
        } catch (e) {
          if ((e as { code?: number }).code === 412) return 'exists' as const;
          throw e;
        }
      }),
    };
  }

  /** The listing TF Serving's poll makes of a model's base path (delimiter '/'), with actual response bytes. */
  async measureLevelListing(loc: ModelLocation, pageSize = DEFAULT_PAGE_SIZE): Promise<LevelMeasurement> {
    const base = prefixOf(loc);
    return this.run(loc, 'measure polling cost', async () => {
      let entries = 0;
      const measured = await measureHttpResponses(async (marker) => {
        // A separate client whose User-Agent carries the marker, so only these requests are counted.
        const storage = await createStorage(this.options, marker.value);
        const bucket = storage.bucket(loc.bucket);
        let query: Record<string, unknown> | null = { prefix: base, delimiter: '/', autoPaginate: false, maxResults: pageSize };
        while (query) {
          const [files, next, response]: [unknown[], unknown, unknown] = await bucket.getFiles(query);
          entries += files.length + (((response as { prefixes?: string[] })?.prefixes)?.length ?? 0);
          query = next ? { ...(next as Record<string, unknown>), autoPaginate: false } : null;
        }
      }, 'user-agent');
      return { requests: measured.requests, responseBytes: measured.responseBytes, entries };
    });
  }
}

function emulatorUrl(host: string): string {
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

export async function createStorage(options: GcsRepositoryOptions, userAgent?: string): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage');
  const env = options.env ?? process.env;
  // The SDK reads STORAGE_EMULATOR_HOST itself and needs a scheme in it; say so instead of failing obscurely.
  if (process.env.STORAGE_EMULATOR_HOST && !/^https?:\/\//.test(process.env.STORAGE_EMULATOR_HOST)) {
    throw new StoreError(`STORAGE_EMULATOR_HOST is "${process.env.STORAGE_EMULATOR_HOST}", without http:// or https://.`, 'Set it to a URL, e.g. http://127.0.0.1:9199.', 'EmulatorHostInvalid');
  }
  const emulator = env.STORAGE_EMULATOR_HOST ? emulatorUrl(env.STORAGE_EMULATOR_HOST) : undefined;
  const apiEndpoint = options.apiEndpoint ?? emulator;
  let serviceAccount: { client_email?: string; private_key?: string; project_id?: string } | undefined;
  if (options.serviceAccountJson) {
    try {
      serviceAccount = JSON.parse(options.serviceAccountJson);
    } catch {
      // Never echo the text: it holds a private key.
      throw new StoreError('The stored service-account key is not valid JSON.', 'Set the repository\'s service-account key again (paste the whole JSON key file).', 'KeyInvalid');
    }
  }
  return new Storage({
    ...(apiEndpoint ? { apiEndpoint } : {}),
    ...(options.keyFilename ? { keyFilename: options.keyFilename } : {}),
    ...(serviceAccount ? { credentials: serviceAccount, projectId: serviceAccount.project_id } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(userAgent ? { userAgent } : {}),
    // Fail in seconds when the endpoint is down: one retry with a short delay.
    retryOptions: { autoRetry: true, maxRetries: 1, maxRetryDelay: 1, retryDelayMultiplier: 1, totalTimeout: 15 },
  });
}
