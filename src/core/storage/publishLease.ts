// Who is publishing which version, and whether they still are. Every publish claims its version number by creating
// `<model>/.staging-<version>/claim.json` create-only (S3 If-None-Match: *, GCS ifGenerationMatch: 0, an exclusive
// mkdir locally); the claim holds a lease the publisher renews while it works. A publish whose lease expired, or whose
// process on this machine no longer exists, is dead: the next touch of the model finishes or rolls it back. A live
// publish elsewhere is never touched.
import * as os from 'os';
import { randomBytes } from 'crypto';

/** How long a claim stays live without renewal; the publisher renews it every LEASE_RENEW_MS. */
export const LEASE_MS = 120_000;
export const LEASE_RENEW_MS = 20_000;

export interface PublishLease {
  /** Identifies one publish attempt. */
  readonly id: string;
  readonly version: number;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly expiresAt: string;
}

export const CLAIM_FILE = 'claim.json';
/** Written once every byte is in: what the reveal does, so another process can finish it. */
export const JOURNAL_FILE = 'journal.json';
/** Staged file contents live under this sub-folder of the staging folder. */
export const STAGED_FILES = 'files';

/** The staging folder of a version: hidden (TF Serving ignores non-integer folders) and one per version number. */
export function stagingFolder(version: number): string {
  return `.staging-${version}`;
}

/** `.staging-<n>` (this tool) or `.staging-<n>-<suffix>` (publishes by earlier releases, which had no claim). */
export function parseStagingFolder(name: string): { version: number; legacy: boolean } | undefined {
  const m = /^\.staging-(\d+)(-.+)?$/.exec(name);
  if (!m || !Number.isSafeInteger(Number(m[1]))) return undefined;
  return { version: Number(m[1]), legacy: m[2] !== undefined };
}

export function newLease(version: number, now = Date.now()): PublishLease {
  return {
    id: randomBytes(8).toString('hex'), version, host: os.hostname(), pid: process.pid,
    startedAt: new Date(now).toISOString(), expiresAt: new Date(now + LEASE_MS).toISOString(),
  };
}

export function renewLease(lease: PublishLease, now = Date.now()): PublishLease {
  return { ...lease, expiresAt: new Date(now + LEASE_MS).toISOString() };
}

export function parseLease(text: string): PublishLease | undefined {
  try {
    const v = JSON.parse(text) as PublishLease;
    return typeof v?.id === 'string' && typeof v.expiresAt === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Live unless it expired, or its process is known dead (same machine, no such pid). */
export function leaseIsLive(lease: PublishLease, now = Date.now()): boolean {
  if (Date.parse(lease.expiresAt) <= now) return false;
  if (lease.host === os.hostname()) return processExists(lease.pid);
  return true;
}

function processExists(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A staging folder without a readable claim (a legacy one, or a claim still being written) is dead once nothing in it
 *  changed for a whole lease. */
export function unclaimedIsDead(newestChange: Date | undefined, now = Date.now()): boolean {
  return !newestChange || now - newestChange.getTime() > LEASE_MS;
}

export function describeOwner(lease: PublishLease): string {
  return `process ${lease.pid} on ${lease.host}, lease until ${lease.expiresAt}`;
}
