// Warmup records: each a tensorflow.serving.PredictionLog. Writing fills predict_log.request (model spec with the
// signature name, inputs as TensorProto), as TF Serving's documentation and resnet_warmup.py do; reading tells the
// log types apart, since TF Serving runs classify, regress and multi-inference logs too and refuses the others.
import type { Root, Type } from 'protobufjs';
import { tfServingProtoRoot } from '../protos/tfServingProtos';
import { tensorFromProtoObject, tensorProtoObject, type WarmupTensor } from './warmupTensor';

export interface WarmupPredictRequest {
  readonly modelName: string;
  readonly signatureName: string;
  /** Signature input key → tensor. */
  readonly inputs: Readonly<Record<string, WarmupTensor>>;
}

/** PredictionLog.log_type, by the oneof's field names. */
export type WarmupLogType = 'predict_log' | 'classify_log' | 'regress_log' | 'multi_inference_log' | 'predict_streamed_log' | 'session_run_log';

/** PredictionLog's oneof field numbers, which TF Serving prints as log_type_case() for the types it refuses. */
export const LOG_TYPE_FIELD_NUMBER: Record<WarmupLogType, number> = {
  classify_log: 2, regress_log: 3, multi_inference_log: 4, session_run_log: 5, predict_log: 6, predict_streamed_log: 7,
};

export type DecodedWarmupRecord =
  | { readonly ok: true; readonly logType: WarmupLogType | undefined; readonly predict?: WarmupPredictRequest & { readonly unknownRank: readonly string[] } }
  | { readonly ok: false; readonly reason: string };

async function predictionLogType(): Promise<{ root: Root; type: Type }> {
  const root = await tfServingProtoRoot();
  return { root, type: root.lookupType('tensorflow.serving.PredictionLog') };
}

export async function encodeWarmupRecords(requests: readonly WarmupPredictRequest[]): Promise<Uint8Array[]> {
  const { type } = await predictionLogType();
  return requests.map((r) => {
    const object = {
      predict_log: {
        request: {
          model_spec: { name: r.modelName, signature_name: r.signatureName },
          inputs: Object.fromEntries(Object.entries(r.inputs).map(([key, tensor]) => [key, tensorProtoObject(tensor)])),
        },
      },
    };
    return type.encode(type.fromObject(object)).finish();
  });
}

/** Decodes one record; bytes that are not a PredictionLog give { ok: false } with protobufjs' reason. */
export async function decodeWarmupRecord(bytes: Uint8Array): Promise<DecodedWarmupRecord> {
  const { type } = await predictionLogType();
  let object: Record<string, unknown>;
  try {
    object = type.toObject(type.decode(bytes), { longs: String, oneofs: true }) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const logType = object.log_type as WarmupLogType | undefined;
  if (logType !== 'predict_log') return { ok: true, logType };
  const request = ((object.predict_log as Record<string, unknown>).request ?? {}) as Record<string, unknown>;
  const spec = (request.model_spec ?? {}) as Record<string, unknown>;
  const inputs: Record<string, WarmupTensor> = {};
  const unknownRank: string[] = [];
  for (const [key, proto] of Object.entries((request.inputs ?? {}) as Record<string, Record<string, unknown>>)) {
    const t = tensorFromProtoObject(proto);
    if (t.unknownRank) unknownRank.push(key);
    inputs[key] = { dtype: t.dtype, shape: t.shape, values: t.values };
  }
  return { ok: true, logType, predict: { modelName: String(spec.name ?? ''), signatureName: String(spec.signature_name ?? ''), inputs, unknownRank } };
}
