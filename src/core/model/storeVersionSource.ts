// Feeds the model inspector from any ModelStore (local, S3, GCS): one level listing, then one file read.
import type { ModelLocation } from '../location';
import { childLocation, displayLocation, parentLocation } from '../location';
import type { ModelStore, StoreEntry } from '../storage/modelStore';
import type { VersionFileSource } from './modelInspector';

export function storeVersionSource(store: ModelStore, version: ModelLocation): VersionFileSource {
  let top: Promise<StoreEntry[]> | undefined;
  const files = () => (top ??= store.listChildren(version).then((p) => p.items.filter((e) => e.kind === 'file')));
  return {
    label: displayLocation(version),
    listFiles: async () => (await files()).map((e) => e.name),
    readFile: (name) => store.readFile(childLocation(version, name)),
    sizeOf: async (name) => (await files()).find((e) => e.name === name)?.bytes,
    hasFile: async (rel) => {
      const loc = childLocation(version, ...rel.split('/'));
      const name = rel.split('/').pop()!;
      const page = await store.listChildren(parentLocation(loc), { prefix: name });
      return page.items.some((e) => e.kind === 'file' && e.name === name);
    },
  };
}
