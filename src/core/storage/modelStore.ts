// The one interface every storage backend implements. Trees, CLI and serving mirrors only see this.
import type { ModelLocation, Scheme } from '../location';
import { maskUrlCredentials } from '../maskCredentials';

export interface StoreEntry {
  /** Name relative to the listed location (a single segment for listChildren, a relative path for listFiles). */
  readonly name: string;
  readonly kind: 'folder' | 'file';
  readonly bytes?: number;
  readonly lastModified?: Date;
}

export interface Page<T> {
  readonly items: T[];
  /** Present when more items remain; pass back as pageToken. */
  readonly nextToken?: string;
}

export interface ListOptions {
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** Only children whose names start with this. */
  readonly prefix?: string;
}

export interface TransferProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly message?: string;
}

export interface TransferOptions {
  readonly onProgress?: (p: TransferProgress) => void;
  readonly signal?: AbortSignal;
}

export interface PublishResult {
  readonly version: number;
  readonly location: ModelLocation;
  readonly files: number;
  readonly bytes: number;
}

export interface ModelStore {
  readonly scheme: Scheme;
  /** One level below loc (folders and files), delimiter-style: never a recursive walk. */
  listChildren(loc: ModelLocation, options?: ListOptions): Promise<Page<StoreEntry>>;
  /** Every file below loc, names relative to loc with '/' separators. */
  listFiles(loc: ModelLocation): Promise<StoreEntry[]>;
  readFile(loc: ModelLocation): Promise<Uint8Array>;
  /** Copies a local SavedModel folder or .tflite file in as version `version` of the model at modelLoc, atomically. */
  publish(source: string, modelLoc: ModelLocation, version: number, options?: TransferOptions): Promise<PublishResult>;
  download(loc: ModelLocation, destDir: string, options?: TransferOptions): Promise<{ files: number; bytes: number }>;
  /** Deletes everything under loc; returns the number of objects/files removed. */
  delete(loc: ModelLocation, options?: TransferOptions): Promise<number>;
}

/** A store failure the user can act on: `message` names what went wrong, `hint` what to do. */
export class StoreError extends Error {
  readonly hint?: string;
  constructor(message: string, hint?: string, readonly code?: string) {
    // Endpoints are echoed in messages; credentials inside a URL never are.
    super(maskUrlCredentials(message));
    this.hint = hint === undefined ? undefined : maskUrlCredentials(hint);
  }
}
