// What the bucket commands (versions, publish) share: connection flags, opening the store for a model URI, and
// store errors as one line. Credentials themselves come from the environment, never from flags.
import { parseLocation, type ModelLocation } from '../core/location';
import { openStore, type RepositoryOptions } from '../core/storage/storeRegistry';
import type { ModelStore } from '../core/storage/modelStore';
import { StoreError } from '../core/storage/modelStore';
import type { CliIo } from './cliIo';
import { lastValue, type ArgsSpec } from './cliArgs';

export const STORE_FLAGS = { values: ['endpoint', 'profile', 'region', 'key-file'], booleans: ['path-style'] } as const satisfies ArgsSpec;
export const STORE_FLAGS_USAGE = '[--endpoint URL] [--path-style] [--profile NAME] [--region R] [--key-file SA.json]';

export function repositoryOptionsFromFlags(flags: Map<string, string[]>): RepositoryOptions {
  return {
    endpoint: lastValue(flags, 'endpoint'),
    forcePathStyle: flags.has('path-style') ? lastValue(flags, 'path-style') !== 'false' : undefined,
    profile: lastValue(flags, 'profile'),
    region: lastValue(flags, 'region'),
    keyFile: lastValue(flags, 'key-file'),
  };
}

/** Opens the store for a model URI; AWS_* variables, GOOGLE_APPLICATION_CREDENTIALS and STORAGE_EMULATOR_HOST are
 *  read by the SDKs' standard chains. */
export async function openModel(uri: string, flags: Map<string, string[]>, io: CliIo): Promise<{ store: ModelStore; model: ModelLocation }> {
  // The SDK warns that releases after January 2027 need Node 22; ours is pinned, so the CLI keeps stderr to one line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const model = parseLocation(uri, io.cwd);
  return { store: await openStore(model, repositoryOptionsFromFlags(flags)), model };
}

export function describeStoreError(e: unknown): string {
  if (e instanceof StoreError) return e.hint ? `${e.message} ${e.hint}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
