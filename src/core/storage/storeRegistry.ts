// Picks the ModelStore for a location's scheme. Bucket stores load their SDKs on first use, never at activation.
import type { ModelLocation, Scheme } from '../location';
import type { ModelStore } from './modelStore';
import { LocalModelStore } from './localModelStore';

/** Per-repository connection settings; secrets are supplied at run time, never stored here. */
export interface RepositoryOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly keyFile?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** GCS: a service-account key's JSON held in the editor's secret storage (never written to disk by us). */
  readonly serviceAccountJson?: string;
}

export type StoreFactory = (location: ModelLocation, options: RepositoryOptions) => Promise<ModelStore>;

const factories = new Map<Scheme, StoreFactory>([['file', async () => new LocalModelStore()]]);

export function registerStoreFactory(scheme: Scheme, factory: StoreFactory): void {
  factories.set(scheme, factory);
}

export async function openStore(location: ModelLocation, options: RepositoryOptions = {}): Promise<ModelStore> {
  const factory = factories.get(location.scheme);
  if (!factory) throw new Error(`${location.scheme}:// repositories are not supported yet.`);
  return factory(location, options);
}
