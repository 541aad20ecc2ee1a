// An S3 upload held back from view: every byte goes up as parts of a multipart upload to the object's final key, but
// the object exists (and shows in listings, so in TF Serving's polls) only once CompleteMultipartUpload is sent.
// Publishing uses this to write a version in place and make it appear at the end, with no server-side copy.
import type { S3Client } from '@aws-sdk/client-s3';
import { promises as fs } from 'fs';
import { StoreError } from './modelStore';
import type { PendingUpload } from './atomicPublish';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/** S3 allows at most 10,000 parts; beyond 80 GB per file the part size grows. */
const MAX_PARTS = 10_000;
/** Parts in flight per file, as lib-storage's default queue for a plain upload. */
const PARTS_IN_FLIGHT = 2;

export interface DeferredUploadRequest {
  readonly bucket: string;
  readonly key: string;
  readonly localPath: string;
  readonly bytes: number;
  readonly partSize: number;
  readonly onBytes: (delta: number) => void;
  /** Awaited with the upload id before any part is sent (publish records it so a rollback can abort it). */
  readonly onStarted?: (uploadId: string) => Promise<void>;
  readonly signal?: AbortSignal;
}

/** Uploads every part of the file; resolves to a handle that commits (completes) or discards (aborts) the upload.
 *  On failure or abort the multipart upload is aborted before this rejects, so its parts do not linger. */
export async function uploadDeferred(client: S3Client, sdk: S3Sdk, req: DeferredUploadRequest): Promise<PendingUpload> {
  throwIfAborted(req.signal);
  const created = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: req.bucket, Key: req.key }));
  const uploadId = created.UploadId!;
  const discard = async () => {
    await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: req.bucket, Key: req.key, UploadId: uploadId }));
  };
  let etags: string[];
  try {
    await req.onStarted?.(uploadId);
    etags = await uploadParts(client, sdk, req, uploadId);
  } catch (e) {
    // Parts already sent would otherwise be kept (and billed) by the bucket until a lifecycle rule drops them.
    await discard().catch(() => undefined);
    throw req.signal?.aborted ? new StoreError('Cancelled.', undefined, 'Cancelled') : e;
  }
  return {
    key: req.key,
    // No abort signal: a completion cut off client-side may still take effect server-side after cleanup listed.
    commit: () => completeDeferred(client, sdk, req.bucket, req.key, uploadId, etags),
    discard,
    hidden: { uploadId, parts: etags },
  };
}

/** CompleteMultipartUpload, create-only (If-None-Match: *): it never replaces an object someone else wrote there. */
export async function completeDeferred(client: S3Client, sdk: S3Sdk, bucket: string, key: string, uploadId: string, etags: string[]): Promise<void> {
  await client.send(new sdk.CompleteMultipartUploadCommand({
    Bucket: bucket, Key: key, UploadId: uploadId, IfNoneMatch: '*',
    MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
}

async function uploadParts(client: S3Client, sdk: S3Sdk, req: DeferredUploadRequest, uploadId: string): Promise<string[]> {
  const partSize = Math.max(req.partSize, Math.ceil(req.bytes / MAX_PARTS));
  // An empty file is one empty part: S3 accepts a last part of any size, and a single part is the last.
  const partCount = Math.max(1, Math.ceil(req.bytes / partSize));
  const etags = new Array<string>(partCount);
  const file = await fs.open(req.localPath, 'r');
  try {
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (failure === undefined && next < partCount) {
        const index = next++;
        try {
          throwIfAborted(req.signal);
          const offset = index * partSize;
          const length = Math.min(partSize, req.bytes - offset);
          const buffer = takeBuffer(partSize);
          const body = buffer.subarray(0, length);
          const { bytesRead } = await file.read(body, 0, length, offset);
          if (bytesRead !== length) {
            throw new StoreError(`${req.localPath} changed while it was being published (expected ${req.bytes} bytes).`, 'Wait until the model is fully written, then publish again.');
          }
          const command = new sdk.UploadPartCommand({
            Bucket: req.bucket, Key: req.key, UploadId: uploadId, PartNumber: index + 1, Body: body, ContentLength: length,
          });
          command.middlewareStack.add(unsignedPayloadOverHttps, { step: 'build', name: 'tfssUnsignedPayload' });
          const out = await client.send(command, { abortSignal: req.signal as never });
          etags[index] = out.ETag!;
          // Only after success: a failed or aborted request may still hold its buffer, so that one is dropped.
          giveBuffer(buffer);
          req.onBytes(length);
        } catch (e) {
          failure ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, partCount) }, worker));
    if (failure !== undefined) throw failure;
    return etags;
  } finally {
    await file.close();
  }
}

/** Over HTTPS, signs the part without hashing its bytes (`UNSIGNED-PAYLOAD`, as the AWS CLI does for S3 over HTTPS):
 *  a SHA-256 pass over every byte costs the client about as much CPU as sending it, and TLS already protects the bytes.
 *  Over plain HTTP the hash is what stops a man in the middle from changing the model, so it stays. */
export const unsignedPayloadOverHttps = <I, O>(next: (args: I) => Promise<O>) => async (args: I): Promise<O> => {
  const request = (args as { request: { protocol?: string; headers: Record<string, string> } }).request;
  if (request.protocol === 'https:') request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  return next(args);
};

// Part buffers are reused: a fresh 8 MiB buffer per part made the garbage collector the client's biggest cost.
const freeBuffers: Buffer[] = [];
const MAX_FREE_BUFFERS = 8;

function takeBuffer(size: number): Buffer {
  const i = freeBuffers.findIndex((b) => b.length === size);
  return i >= 0 ? freeBuffers.splice(i, 1)[0] : Buffer.allocUnsafe(size);
}

function giveBuffer(buffer: Buffer): void {
  if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(buffer);
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StoreError('Cancelled.', undefined, 'Cancelled');
}
