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

const factories = new Map<Scheme, StoreFactory>([
  ['file', async () => new LocalModelStore()],
  ['s3', async (_location, o) => {
    const { S3ModelStore } = await import('./s3ModelStore');
    return new S3ModelStore({ region: o.region, profile: o.profile, endpoint: o.endpoint, forcePathStyle: o.forcePathStyle ?? (o.endpoint ? true : undefined), credentials: o.credentials });
  }],
  ['gs', async (_location, o) => {
    const { GcsModelStore } = await import('./gcsModelStore');
    return new GcsModelStore({ apiEndpoint: o.endpoint, keyFilename: o.keyFile, serviceAccountJson: o.serviceAccountJson });
  }],
]);

export function registerStoreFactory(scheme: Scheme, factory: StoreFactory): void {
  factories.set(scheme, factory);
}

export async function openStore(location: ModelLocation, options: RepositoryOptions = {}): Promise<ModelStore> {
  const factory = factories.get(location.scheme);
  if (!factory) throw new Error(`${location.scheme}:// repositories are not supported yet.`);
  return factory(location, options);
}
