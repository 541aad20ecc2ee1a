// What the commands and views ask of a TF Serving server, whichever API carries it: REST (TfServingClient) or gRPC
// (GrpcServingClient). Both answer in the REST API's JSON shapes, so a request body, a status list or a signature
// map means the same thing over either, and the editor and CLI pick the protocol without changing anything else.
import type { ModelVersionStatus, VersionSelector } from './tfServingClient';

export type ServingProtocol = 'rest' | 'grpc';
export const SERVING_PROTOCOLS: readonly ServingProtocol[] = ['rest', 'grpc'];

export interface TimedAnswer<T> { readonly value: T; readonly millis: number }

/** GetModelMetadata / GET …/metadata as REST prints it. */
export interface ModelMetadataJson {
  readonly model_spec: unknown;
  readonly metadata: { readonly signature_def: { readonly signature_def: Record<string, unknown> } };
}

export interface PredictAnswerJson { readonly predictions?: unknown; readonly outputs?: unknown }

export type ServingCall = 'status' | 'metadata' | 'predict';

export interface ServingClient {
  readonly protocol: ServingProtocol;
  /** Where a call goes, for people: the REST URL, or the gRPC address and method. */
  describe(call: ServingCall, model: string, sel?: VersionSelector): string;
  /** timeoutMs: this call's own limit (the client's default otherwise). */
  status(model: string, sel?: VersionSelector, timeoutMs?: number): Promise<TimedAnswer<ModelVersionStatus[]>>;
  metadata(model: string, sel?: VersionSelector): Promise<TimedAnswer<ModelMetadataJson>>;
  /** body: TF Serving's REST predict body ({"instances": …} or {"inputs": …}, optional "signature_name"). */
  predict(model: string, body: unknown, sel?: VersionSelector): Promise<TimedAnswer<PredictAnswerJson>>;
  /** True when some version of the model is AVAILABLE; false (never a throw) when the server does not answer. */
  isAvailable(model: string, sel?: VersionSelector, probeTimeoutMs?: number): Promise<boolean>;
}

export function protocolLabel(p: ServingProtocol): string {
  return p === 'grpc' ? 'gRPC' : 'REST';
}
