// Case 9 of the doctor end to end: a gRPC client with grpc's default limits (4 MiB received, sends unlimited — as
// most clients run) asks the stand-in's gRPC port for a prediction whose answer is above 4 MiB; grpc-js' own error
// text is what the doctor reads.
import * as assert from 'assert';
import * as path from 'path';
import type * as grpc from '@grpc/grpc-js';
import { diagnose } from '../../src/core/doctor/diagnose';
import { errorText } from '../../src/core/errorText';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { loadTfServingServices } from '../../src/core/grpc/tfServingGrpcClient';
import { FIXTURES, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

describe('doctor: gRPC "Received message larger than max" from a default-limit client', function () {
  this.timeout(60_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  after(async () => removeContainers(engine(), created));

  it('matches grpc-js\' RESOURCE_EXHAUSTED text to the client\'s 4 MiB default', async () => {
    const [restPort, grpcPort] = await freePorts();
    const plan = containerCreateBody(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: path.join(FIXTURES, 'saved_model_half_plus_two_cpu') }, configDir: tempDir('cfg'), restPort, grpcPort, monitoring: false }));
    const started = await engine().createAndStart(plan, { pull: false });
    created.push(started.id);
    const rest = new TfServingClient(started.restUrl);
    for (let i = 0; i < 100 && !(await rest.isAvailable('hpt')); i++) await new Promise((r) => setTimeout(r, 200));
    const { grpc: g, PredictionService } = await loadTfServingServices();
    const client = new PredictionService(started.grpcAddress, g.credentials.createInsecure()) as grpc.Client & Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void) => void>;
    const n = 1_200_000; // 4.8 MB of float32 each way
    const request = { model_spec: { name: 'hpt' }, inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: String(n) }, { size: '1' }] }, float_val: new Array(n).fill(1) } } };
    const error = await new Promise<grpc.ServiceError | null>((resolve) => client.Predict(request, new g.Metadata(), { deadline: Date.now() + 30_000 }, (e) => resolve(e)));
    client.close();
    assert.ok(error, 'the answer is above the client\'s 4 MiB limit');
    assert.strictEqual(error.code, g.status.RESOURCE_EXHAUSTED);
    assert.match(error.details, /^Received message larger than max \(\d+ vs 4194304\)$/);
    const [d] = diagnose({ lines: [errorText(error)] });
    assert.strictEqual(d?.id, 'grpc-message-too-large');
    assert.match(d.title, /A gRPC message of 4\.\d MiB is above the receiver's limit of 4\.0 MiB/);
    assert.match(d.cause, /4 MiB by default; TF Serving itself sends and receives up to 2 GiB/);
  });
});
