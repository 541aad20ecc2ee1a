// The gRPC side of a load test: TF Serving's PredictionService/Predict through the project's gRPC client, every
// PredictRequest built and encoded once from the JSON bodies with the served signature's dtypes; answers are not
// decoded (as the REST side does not parse its JSON). All channels share one
// HTTP/2 connection (grpc-js multiplexes the concurrent calls on it, as TF Serving's own clients do).
import { GrpcError } from '../grpc/grpcError';
import { modelSpec } from '../grpc/grpcServingClient';
import { predictInputsFromJson, type SignatureInput } from '../grpc/tensorJson';
import { TfServingGrpcClient, type ProtoObject } from '../grpc/tfServingGrpcClient';
import type { VersionSelector } from '../serving/tfServingClient';
import { OK, type Outcome } from './outcome';
import { CANCELLED, type Channel, type Transport } from './transport';

/** The bodies as PredictRequests, with the dtypes of the signature each names (serving_default when none). */
export function grpcRequests(model: string, sel: VersionSelector | undefined, bodies: readonly string[], signatureDefs: Record<string, unknown>): ProtoObject[] {
  return bodies.map((text) => {
    const body = JSON.parse(text) as { signature_name?: unknown };
    const name = typeof body.signature_name === 'string' ? body.signature_name : 'serving_default';
    const def = signatureDefs[name] as { inputs?: Record<string, { dtype?: string }> } | undefined;
    if (!def) throw new Error(`${model} has no signature "${name}" to send over gRPC.`);
    const inputs: Record<string, SignatureInput> = Object.fromEntries(Object.entries(def.inputs ?? {}).map(([k, t]) => [k, { dtype: t.dtype ?? 'DT_INVALID' }]));
    return { model_spec: modelSpec(model, sel, name), inputs: predictInputsFromJson(body, inputs).inputs };
  });
}

/** A failed call as an error kind: no answer in time, nothing listening, or TF Serving's status and message. */
export function grpcOutcome(e: unknown): Outcome {
  const status = e instanceof GrpcError ? e.status : 'UNKNOWN';
  const message = e instanceof GrpcError ? e.details : String(e);
  if (status === 'DEADLINE_EXCEEDED') return { ok: false, kind: 'timeout', status, message };
  if (status === 'UNAVAILABLE') return { ok: false, kind: 'connection-refused', status, message };
  return { ok: false, kind: 'grpc-error', status, message };
}

export class GrpcTransport implements Transport {
  private readonly client: TfServingGrpcClient;
  private closed = false;

  /** requests: encoded by encodePredictRequest(), once before the run; each transport has its own HTTP/2 connection. */
  constructor(address: string, private readonly requests: readonly Buffer[], private readonly timeoutMs: number) {
    if (!requests.length) throw new Error('no requests to send');
    this.client = new TfServingGrpcClient(address, { timeoutMs });
  }

  channel(): Channel {
    let next = Math.floor(Math.random() * this.requests.length);
    const ch = {
      sentAt: 0,
      answeredAt: 0,
      send: async (): Promise<Outcome> => {
        if (this.closed) return CANCELLED;
        const req = this.requests[next];
        next = (next + 1) % this.requests.length;
        ch.sentAt = performance.now();
        try {
          await this.client.predictEncoded(req, this.timeoutMs);
          return this.closed ? CANCELLED : OK;
        } catch (e) {
          return this.closed ? CANCELLED : grpcOutcome(e);
        } finally {
          ch.answeredAt = performance.now();
        }
      },
      close: () => undefined,
    };
    return ch;
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }
}
