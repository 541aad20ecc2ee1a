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

export interface PublishOptions extends TransferOptions {
  /** When another publish holds the version (claimed first or already published), take the next free number instead
   *  of failing: right when the version was defaulted to latest + 1, wrong when the user named it. */
  readonly nextFreeIfTaken?: boolean;
}

export interface PublishResult {
  readonly version: number;
  readonly location: ModelLocation;
  readonly files: number;
  readonly bytes: number;
  /** What the user should know beyond success: a version that was taken, dead publishes repaired first, a server
   *  that ignores conditional writes. */
  readonly notes?: string[];
}

/** A publish found in a model's staging folders. */
export interface PublishInProgress {
  readonly version: number;
  /** 'uploading': bytes still going up, nothing visible; 'revealing': every byte is in, the version is appearing. */
  readonly phase: 'uploading' | 'revealing';
  /** Its lease is live: the publisher may still be working (maybe on another machine); it is never touched. */
  readonly live: boolean;
  readonly owner?: string;
}

/** 'auto': finish a reveal whose bytes are all in, roll back the rest. 'resume' / 'rollBack': the user's choice. */
export type RepairAction = 'auto' | 'resume' | 'rollBack';

export interface RepairOutcome {
  readonly version: number;
  /** finished: the interrupted reveal was completed; rolledBack: the version was removed; cleaned: only leftovers
   *  of a finished or empty publish were removed; live: left alone, its publisher may still be working. */
  readonly outcome: 'finished' | 'rolledBack' | 'cleaned' | 'live';
  readonly message: string;
}

export interface RepairOptions {
  /** Only this version's publish. */
  readonly version?: number;
  readonly action?: RepairAction;
}

export interface ModelStore {
  readonly scheme: Scheme;
  /** One level below loc (folders and files), delimiter-style: never a recursive walk. */
  listChildren(loc: ModelLocation, options?: ListOptions): Promise<Page<StoreEntry>>;
  /** Every file below loc, names relative to loc with '/' separators. */
  listFiles(loc: ModelLocation): Promise<StoreEntry[]>;
  readFile(loc: ModelLocation): Promise<Uint8Array>;
  /** Copies a local SavedModel folder or .tflite file in as version `version` of the model at modelLoc, atomically. */
  publish(source: string, modelLoc: ModelLocation, version: number, options?: PublishOptions): Promise<PublishResult>;
  /** Publishes under way or cut off in this model (from its staging folders). */
  listPublishes(modelLoc: ModelLocation): Promise<PublishInProgress[]>;
  /** Finishes or rolls back every dead publish of the model (a live one is left alone) and removes what dead
   *  publishes left in staging; says what it did. The first thing a publish does, and what listing a model does. */
  repair(modelLoc: ModelLocation, options?: RepairOptions): Promise<RepairOutcome[]>;
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
