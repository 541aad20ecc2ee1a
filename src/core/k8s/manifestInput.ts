// The one decision from "what the user points at" to the manifest generator's input, for the CLI's `manifests`
// and the editor's "Generate Kubernetes Manifests…" (on a bucket model or on a running server) alike.
import { baseName, parseLocation } from '../location';
import { modelNameFromFolder } from '../names';
import type { LabelState } from '../serving/versionLabels';
import { appNameFor, type ManifestOptions, type ManifestSource } from './manifestGenerator';

export type ManifestInput = Pick<ManifestOptions, 'modelName' | 'source' | 'imageTag' | 'monitoringPath' | 'versions'>;

export interface ManifestInputOptions {
  /** The model name the server uses; by default the last part of the URI, made a valid name. */
  readonly modelName?: string;
  /** s3://: the sidecar's region and endpoint URL. */
  readonly region?: string;
  readonly endpoint?: string;
  /** Relative folder paths are read against it. */
  readonly cwd?: string;
}

/**
 * gs:// and s3:// are read by the pod; `pvc:<claim>[/subPath]` is a volume claim that holds the model folder; a
 * local folder (a server started from one) becomes a claim named after the app, which the user fills from it.
 */
export function manifestInput(uri: string, o: ManifestInputOptions = {}): ManifestInput {
  const text = uri.trim();
  let source: ManifestSource;
  let folderName: string;
  if (/^pvc:/i.test(text)) {
    const rest = text.slice(4).replace(/\/+$/, '');
    const slash = rest.indexOf('/');
    const claimName = slash < 0 ? rest : rest.slice(0, slash);
    const subPath = slash < 0 ? undefined : rest.slice(slash + 1);
    source = { kind: 'pvc', claimName, ...(subPath !== undefined ? { subPath } : {}) };
    folderName = subPath ? subPath.slice(subPath.lastIndexOf('/') + 1) : claimName;
  } else {
    const loc = parseLocation(text, o.cwd);
    folderName = baseName(loc);
    const modelName = o.modelName ?? modelNameFromFolder(folderName);
    if (loc.scheme === 'gs') source = { kind: 'gcs', baseUri: text.replace(/\/+$/, '') };
    else if (loc.scheme === 's3') source = { kind: 's3', baseUri: text.replace(/\/+$/, ''), region: o.region, endpoint: o.endpoint };
    else source = { kind: 'pvc', claimName: `${appNameFor(modelName)}-models`.slice(0, 63).replace(/-+$/, ''), copyFrom: loc.path };
  }
  return { modelName: o.modelName ?? modelNameFromFolder(folderName), source };
}

/** What a container the extension started serves, read from its labels: the pod runs the same server. */
export interface ServedModel {
  readonly sourceUri: string;
  readonly modelName: string;
  /** The image tag, with or without the -gpu suffix. */
  readonly imageTag?: string;
  readonly monitoringPath?: string;
  /** The versions and labels the container serves (its model config record). */
  readonly labels?: LabelState;
}

export function manifestInputFromServed(s: ServedModel): ManifestInput {
  const base = manifestInput(s.sourceUri, { modelName: s.modelName });
  const tag = s.imageTag?.replace(/-gpu$/, '');
  return {
    ...base,
    // The 2.6 pin exists only for direct s3:// reads; the sidecar makes any tag work.
    imageTag: base.source.kind === 's3' && tag && /^2\.6(\.|$)/.test(tag) ? undefined : tag || undefined,
    monitoringPath: s.monitoringPath || undefined,
    versions: s.labels ? { policy: { kind: 'specific', versions: s.labels.versions }, labels: s.labels.labels } : undefined,
  };
}
