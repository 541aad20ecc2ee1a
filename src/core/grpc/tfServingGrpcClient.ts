// TF Serving's gRPC API over @grpc/grpc-js with TF Serving's own protos: PredictionService Predict and
// GetModelMetadata, ModelService GetModelStatus and HandleReloadConfigRequest. Every call has a deadline; message
// limits are raised from gRPC's 4 MiB default to what tensorflow_model_server itself accepts (2 GiB − 1, its
// SetMaxMessageSize(INT32_MAX)); failures are GrpcErrors ("NOT_FOUND: …"). grpc-js and proto-loader load on first use.
import type * as grpc from '@grpc/grpc-js';
import { grpcErrorOf } from './grpcError';
import { PROTO_OBJECT_OPTIONS } from './protoJson';
import { protoIncludeDir, TF_SERVING_API_PROTOS } from '../protos/tfServingProtos';

export const DEFAULT_GRPC_TIMEOUT_MS = 30_000;
/** tensorflow_model_server's own limit (server.cc: builder.SetMaxMessageSize(INT32_MAX)). */
export const MAX_GRPC_MESSAGE_BYTES = 2 ** 31 - 1;

export interface GrpcClientOptions {
  /** Deadline of each call. */
  readonly timeoutMs?: number;
  /** Largest message sent or received. */
  readonly maxMessageBytes?: number;
}

/** A decoded message: plain object, field names as in the .proto (PROTO_OBJECT_OPTIONS). */
export type ProtoObject = Record<string, unknown>;
export interface TimedCall<T> { readonly value: T; readonly millis: number }

export const PREDICTION_SERVICE = 'tensorflow.serving.PredictionService';
export const MODEL_SERVICE = 'tensorflow.serving.ModelService';

type UnaryMethod = (req: ProtoObject, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: ProtoObject) => void) => grpc.ClientUnaryCall;
type ServiceClient = grpc.Client & Record<string, UnaryMethod>;
interface Loaded { readonly grpc: typeof grpc; readonly PredictionService: grpc.ServiceClientConstructor; readonly ModelService: grpc.ServiceClientConstructor }

let loaded: Promise<Loaded> | undefined;
/** grpc-js, and both services from TF Serving's protos (also used by the stand-in server). */
export function loadTfServingServices(): Promise<Loaded> {
  loaded ??= (async () => {
    const [grpcJs, protoLoader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
    const definition = await protoLoader.load([...TF_SERVING_API_PROTOS], { ...PROTO_OBJECT_OPTIONS, includeDirs: [protoIncludeDir()] });
    const pkg = grpcJs.loadPackageDefinition(definition) as unknown as { tensorflow: { serving: Record<string, grpc.ServiceClientConstructor> } };
    return { grpc: grpcJs, PredictionService: pkg.tensorflow.serving.PredictionService, ModelService: pkg.tensorflow.serving.ModelService };
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

/** A PredictRequest as the bytes every call of it would send (encoded once, for a load test to send many times). */
export async function encodePredictRequest(request: ProtoObject): Promise<Buffer> {
  const l = await loadTfServingServices();
  return (l.PredictionService.service as unknown as Record<string, grpc.MethodDefinition<ProtoObject, ProtoObject>>).Predict.requestSerialize(request);
}

export class TfServingGrpcClient {
  private clients?: Promise<{ prediction: ServiceClient; model: ServiceClient; grpc: typeof grpc }>;
  readonly timeoutMs: number;
  readonly maxMessageBytes: number;

  /** address: host:port of the gRPC port, e.g. 127.0.0.1:8500. */
  constructor(readonly address: string, options: GrpcClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GRPC_TIMEOUT_MS;
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_GRPC_MESSAGE_BYTES;
  }

  predict(request: ProtoObject, timeoutMs?: number): Promise<TimedCall<ProtoObject>> {
    return this.call('prediction', 'Predict', request, timeoutMs);
  }

  getModelMetadata(request: ProtoObject, timeoutMs?: number): Promise<TimedCall<ProtoObject>> {
    return this.call('prediction', 'GetModelMetadata', request, timeoutMs);
  }

  getModelStatus(request: ProtoObject, timeoutMs?: number): Promise<TimedCall<ProtoObject>> {
    return this.call('model', 'GetModelStatus', request, timeoutMs);
  }

  handleReloadConfigRequest(request: ProtoObject, timeoutMs?: number): Promise<TimedCall<ProtoObject>> {
    return this.call('model', 'HandleReloadConfigRequest', request, timeoutMs);
  }

  /**
   * Predict with a request encoded by encodePredictRequest(); the answer is left undecoded (its size is returned), as a
   * load generator needs only the status: decoding a PredictResponse into objects costs more client CPU than the call.
   */
  async predictEncoded(request: Buffer, timeoutMs = this.timeoutMs): Promise<number> {
    const full = `${PREDICTION_SERVICE}/Predict`;
    const c = await this.connect();
    return new Promise((resolve, reject) => {
      c.prediction.makeUnaryRequest<Buffer, Buffer>(`/${full}`, (b) => b, (b) => b, request, new c.grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (e, r) => {
        if (e) reject(grpcErrorOf(e, this.address, full, timeoutMs));
        else resolve(r?.length ?? 0);
      });
    });
  }

  /** Closes the channels; later calls open new ones. */
  close(): void {
    const c = this.clients;
    this.clients = undefined;
    void c?.then((x) => { x.prediction.close(); x.model.close(); }, () => undefined);
  }

  private connect() {
    this.clients ??= (async () => {
      const l = await loadTfServingServices();
      const credentials = l.grpc.credentials.createInsecure();
      const options = { 'grpc.max_receive_message_length': this.maxMessageBytes, 'grpc.max_send_message_length': this.maxMessageBytes };
      return {
        grpc: l.grpc,
        prediction: new l.PredictionService(this.address, credentials, options) as unknown as ServiceClient,
        model: new l.ModelService(this.address, credentials, options) as unknown as ServiceClient,
      };
    })();
    this.clients.catch(() => (this.clients = undefined));
    return this.clients;
  }

  private async call(service: 'prediction' | 'model', method: string, request: ProtoObject, timeoutMs = this.timeoutMs): Promise<TimedCall<ProtoObject>> {
    const full = `${service === 'prediction' ? PREDICTION_SERVICE : MODEL_SERVICE}/${method}`;
    const c = await this.connect();
    const started = performance.now();
    return new Promise((resolve, reject) => {
      c[service][method](request, new c.grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (e, r) => {
        if (e) reject(grpcErrorOf(e, this.address, full, timeoutMs));
        else resolve({ value: r ?? {}, millis: performance.now() - started });
      });
    });
  }
}
