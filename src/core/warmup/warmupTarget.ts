// The version a warmup file is built for: its signature (serving_default unless named) and the model name the
// requests carry, read from any store — one reading for the editor command and the CLI.
import { baseName, displayLocation, parentLocation, type ModelLocation } from '../location';
import { inspectVersion, type ModelSummary } from '../model/modelInspector';
import type { SignatureDef } from '../model/savedModelDecoder';
import { storeVersionSource } from '../model/storeVersionSource';
import type { ModelStore } from '../storage/modelStore';
import { WarmupError } from './warmupRequests';

export interface WarmupTarget {
  readonly summary: ModelSummary;
  readonly signature: SignatureDef;
  readonly modelName: string;
}

/** Signatures a request can name (the init op's is plumbing). */
export function callableSignatures(summary: ModelSummary): SignatureDef[] {
  if (summary.format === 'tflite') return [];
  return (summary.servingMetaGraph?.signatures ?? []).filter((s) => !s.key.startsWith('__'));
}

export async function readWarmupTarget(store: ModelStore, version: ModelLocation, signatureKey = 'serving_default'): Promise<WarmupTarget> {
  const summary = await inspectVersion(storeVersionSource(store, version));
  if (summary.format === 'tflite') {
    throw new WarmupError(`${displayLocation(version)} is a TFLite version; warmup requests are built here for SavedModel versions.`, 'Generate them for the SavedModel version the TFLite file was converted from.');
  }
  const signatures = callableSignatures(summary);
  const signature = signatures.find((s) => s.key === signatureKey);
  if (!signature) {
    throw new WarmupError(`${displayLocation(version)} has no signature "${signatureKey}".`, `Its signatures are ${signatures.map((s) => s.key).join(', ') || 'none'}; pass one with --signature.`);
  }
  return { summary, signature, modelName: baseName(parentLocation(version)) };
}
