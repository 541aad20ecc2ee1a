// The gRPC side of ServingClient: REST-shaped questions and answers carried by PredictionService and ModelService.
// A predict body is turned into TensorProtos with the dtypes of the served signature (read once per model, version
// and signature with GetModelMetadata), and every answer is printed as TF Serving's REST API prints it.
import type { ModelVersionStatus, VersionSelector } from '../serving/tfServingClient';
import type { ModelMetadataJson, PredictAnswerJson, ServingCall, ServingClient, TimedAnswer } from '../serving/servingClient';
import { GrpcError } from './grpcError';
import { messageJson } from './protoJson';
import { predictInputsFromJson, predictResponseJson, type SignatureInput } from './tensorJson';
import { MODEL_SERVICE, PREDICTION_SERVICE, TfServingGrpcClient, type GrpcClientOptions, type ProtoObject } from './tfServingGrpcClient';
import { tfServingProtoRoot } from '../protos/tfServingProtos';

/** A ModelSpec for a model and an optional version or label (what REST puts in the URL). */
export function modelSpec(model: string, sel?: VersionSelector, signatureName?: string): ProtoObject {
  return {
    name: model,
    ...(sel && 'version' in sel ? { version: { value: String(sel.version) } } : {}),
    ...(sel && 'label' in sel ? { version_label: sel.label } : {}),
    ...(signatureName ? { signature_name: signatureName } : {}),
  };
}

/** GetModelMetadataResponse → REST's {"model_spec", "metadata": {"signature_def": SignatureDefMap}} (http_rest_api_util.cc). */
export async function metadataJson(response: ProtoObject): Promise<ModelMetadataJson> {
  const root = await tfServingProtoRoot();
  const any = (response.metadata as Record<string, { type_url?: string; value?: string }> | undefined)?.signature_def;
  if (!any) throw new GrpcError('INTERNAL', 'Failed to find \'signature_def\' key in the GetModelMetadataResponse metadata map.');
  const mapType = root.lookupType('tensorflow.serving.SignatureDefMap');
  if (!String(any.type_url ?? '').endsWith('/tensorflow.serving.SignatureDefMap')) throw new GrpcError('INTERNAL', `Failed to unpack 'Any' object to 'SignatureDefMap' (it holds ${any.type_url}).`);
  const decoded = mapType.toObject(mapType.decode(Buffer.from(any.value ?? '', 'base64')), { longs: String, enums: String, bytes: String });
  return {
    model_spec: messageJson(root.lookupType('tensorflow.serving.ModelSpec'), (response.model_spec ?? {}) as ProtoObject),
    metadata: { signature_def: messageJson(mapType, decoded) as ModelMetadataJson['metadata']['signature_def'] },
  };
}

/** GetModelStatusResponse → REST's model_version_status list. */
export async function statusJson(response: ProtoObject): Promise<ModelVersionStatus[]> {
  const root = await tfServingProtoRoot();
  const json = messageJson(root.lookupType('tensorflow.serving.GetModelStatusResponse'), response) as unknown as { model_version_status: ModelVersionStatus[] };
  return json.model_version_status;
}

export class GrpcServingClient implements ServingClient {
  readonly protocol = 'grpc' as const;
  readonly raw: TfServingGrpcClient;
  private readonly signatures = new Map<string, Promise<Record<string, Record<string, SignatureInput>>>>();

  constructor(readonly address: string, options: GrpcClientOptions = {}) {
    this.raw = new TfServingGrpcClient(address, options);
  }

  describe(call: ServingCall, model: string, sel?: VersionSelector): string {
    const method = call === 'predict' ? `${PREDICTION_SERVICE}/Predict` : call === 'metadata' ? `${PREDICTION_SERVICE}/GetModelMetadata` : `${MODEL_SERVICE}/GetModelStatus`;
    const which = sel && 'version' in sel ? ` version ${sel.version}` : sel && 'label' in sel ? ` label ${sel.label}` : '';
    return `grpc://${this.address}/${method} (${model}${which})`;
  }

  async status(model: string, sel?: VersionSelector, timeoutMs?: number): Promise<TimedAnswer<ModelVersionStatus[]>> {
    const r = await this.raw.getModelStatus({ model_spec: modelSpec(model, sel) }, timeoutMs);
    return { value: await statusJson(r.value), millis: r.millis };
  }

  async metadata(model: string, sel?: VersionSelector): Promise<TimedAnswer<ModelMetadataJson>> {
    const r = await this.raw.getModelMetadata({ model_spec: modelSpec(model, sel), metadata_field: ['signature_def'] });
    return { value: await metadataJson(r.value), millis: r.millis };
  }

  async predict(model: string, body: unknown, sel?: VersionSelector): Promise<TimedAnswer<PredictAnswerJson>> {
    const signatureName = (body as { signature_name?: unknown })?.signature_name;
    const name = typeof signatureName === 'string' ? signatureName : 'serving_default';
    const sigs = await this.signatureInputs(model, sel);
    const sig = sigs[name];
    if (!sig) throw new GrpcError('INVALID_ARGUMENT', `Serving signature name: "${name}" not found in signature def`);
    const req = predictInputsFromJson(body, sig);
    const r = await this.raw.predict({ model_spec: modelSpec(model, sel, name), inputs: req.inputs });
    return { value: predictResponseJson((r.value.outputs ?? {}) as Record<string, ProtoObject>, req.format), millis: r.millis };
  }

  async isAvailable(model: string, sel?: VersionSelector, probeTimeoutMs = 1_000): Promise<boolean> {
    try {
      const r = await this.raw.getModelStatus({ model_spec: modelSpec(model, sel) }, probeTimeoutMs);
      return ((r.value.model_version_status ?? []) as { state?: string }[]).some((s) => s.state === 'AVAILABLE');
    } catch {
      return false;
    }
  }

  close(): void {
    this.raw.close();
  }

  /** Input dtypes per signature of the served version; the same version serves the same signatures, so kept. */
  private signatureInputs(model: string, sel?: VersionSelector): Promise<Record<string, Record<string, SignatureInput>>> {
    const key = JSON.stringify([model, sel ?? null]);
    let p = this.signatures.get(key);
    if (!p) {
      p = this.metadata(model, sel).then((m) => Object.fromEntries(Object.entries(m.value.metadata.signature_def.signature_def).map(([k, s]) => [k,
        Object.fromEntries(Object.entries((s as { inputs?: Record<string, { dtype?: string }> }).inputs ?? {}).map(([n, t]) => [n, { dtype: t.dtype ?? 'DT_INVALID' }]))])));
      // A label or "latest" may move to another version: keep the answer briefly, and never a failure.
      this.signatures.set(key, p);
      p.then(() => setTimeout(() => this.signatures.delete(key), sel && 'version' in sel ? 600_000 : 5_000).unref(), () => this.signatures.delete(key));
    }
    return p;
  }
}
