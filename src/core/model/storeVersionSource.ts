// Feeds the model inspector from any ModelStore (local, S3, GCS): one level listing, then one file read.
import type { ModelLocation } from '../location';
import { childLocation, displayLocation } from '../location';
import type { ModelStore } from '../storage/modelStore';
import type { VersionFileSource } from './modelInspector';

export function storeVersionSource(store: ModelStore, version: ModelLocation): VersionFileSource {
  return {
    label: displayLocation(version),
    listFiles: async () => (await store.listChildren(version)).items.filter((e) => e.kind === 'file').map((e) => e.name),
    readFile: (name) => store.readFile(childLocation(version, name)),
  };
}
