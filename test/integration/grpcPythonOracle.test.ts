// The gRPC client against the stand-in's gRPC port, checked by an independent client: TF Serving's official Python
// API (tensorflow-serving-api + grpcio in .venv) asks the same questions, and for GetModelStatus, GetModelMetadata
// and Predict our answers equal its answers and the REST port's answers. HandleReloadConfigRequest changes the
// served versions and labels as the config-file reload does; limits, deadlines and errors are real gRPC ones.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { GrpcServingClient } from '../../src/core/grpc/grpcServingClient';
import { GrpcError } from '../../src/core/grpc/grpcError';
import { TfServingGrpcClient } from '../../src/core/grpc/tfServingGrpcClient';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { startStandin, type StandinProcess } from './monitorStandinProcess';
import { REPO, tempDir } from './prometheusBinaries';
import { builtCli, CLI } from './builtCli';
import { runPython } from './tensorflowZoo';

const MODEL = 'hpt';
const TWO_VERSIONS = path.join(REPO, 'test/fixtures/tf-serving/saved_model_half_plus_two_2_versions');
const ORACLE = path.join(REPO, 'test/integration/python/grpc_oracle.py');


interface OracleCall { call: 'status' | 'metadata' | 'predict'; model: string; version?: number; label?: string; signature_name?: string; inputs?: Record<string, { dtype: string; values: unknown }> }
type OracleAnswer = { answer: unknown } | { error: { code: string; details: string } };

async function askPython(address: string, calls: OracleCall[]): Promise<OracleAnswer[]> {
  const { stdout } = await runPython([ORACLE, JSON.stringify({ address, calls })], { timeoutMs: 180_000 });
  return JSON.parse(stdout) as OracleAnswer[];
}
const answerOf = (a: OracleAnswer) => {
  if ('error' in a) throw new Error(`the Python client failed: ${a.error.code}: ${a.error.details}`);
  return a.answer;
};
/** Floats as float32, the precision both sides carry (REST text and proto JSON may print different digits). */
const f32 = (v: unknown): unknown => (typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map(f32) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f32(x)])) : v);

describe('gRPC client vs the official Python client and REST (stand-in server)', function () {
  this.timeout(240_000);
  let standin: StandinProcess;
  let grpc: GrpcServingClient;
  let rest: TfServingClient;
  let modelDir: string;

  before(async () => {
    // A copy: the reload test serves both versions; the fixture's folders stay untouched.
    modelDir = path.join(tempDir('grpc-oracle'), MODEL);
    fs.cpSync(TWO_VERSIONS, modelDir, { recursive: true });
    standin = await startStandin(MODEL, modelDir);
    grpc = new GrpcServingClient(standin.grpcAddress, { timeoutMs: 20_000 });
    rest = new TfServingClient(standin.restUrl);
  });
  after(async () => {
    grpc?.close();
    await standin?.stop();
  });

  it('GetModelStatus, GetModelMetadata and Predict: our answers equal the Python client\'s and REST\'s', async () => {
    const x = [[1.0], [2.0], [0.1], [-3.5]];
    const [pyStatus, pyMeta, pyPredict, pyMissing] = await askPython(standin.grpcAddress, [
      { call: 'status', model: MODEL },
      { call: 'metadata', model: MODEL },
      { call: 'predict', model: MODEL, inputs: { x: { dtype: 'DT_FLOAT', values: x } } },
      { call: 'predict', model: 'nope', inputs: { x: { dtype: 'DT_FLOAT', values: x } } },
    ]);

    const status = (await grpc.status(MODEL)).value;
    assert.deepStrictEqual(status, answerOf(pyStatus));
    assert.deepStrictEqual(status, (await rest.status(MODEL)).value);
    assert.deepStrictEqual(status.map((s) => [s.version, s.state]), [['124', 'AVAILABLE']]);

    const meta = (await grpc.metadata(MODEL)).value;
    assert.deepStrictEqual(meta, answerOf(pyMeta));
    assert.deepStrictEqual(meta, (await rest.metadata(MODEL)).value);
    assert.deepStrictEqual(Object.keys(meta.metadata.signature_def.signature_def).sort(), ['classify_x2_to_y3', 'classify_x_to_y', 'regress_x2_to_y3', 'regress_x_to_y', 'regress_x_to_y2', 'serving_default']);

    // The raw PredictResponse, message for message.
    const raw = (await grpc.raw.predict({ model_spec: { name: MODEL }, inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '4' }, { size: '1' }] }, float_val: x.flat() } } })).value;
    const py = answerOf(pyPredict) as { model_spec: unknown; outputs: { y: { float_val: number[]; tensor_shape: unknown; dtype: string } } };
    const ours = raw as { model_spec: { name: string; version: { value: string }; signature_name: string }; outputs: { y: { float_val: number[]; tensor_shape: unknown; dtype: string } } };
    assert.deepStrictEqual({ name: ours.model_spec.name, version: ours.model_spec.version.value, signature_name: ours.model_spec.signature_name }, py.model_spec);
    assert.deepStrictEqual(ours.outputs.y.dtype, py.outputs.y.dtype);
    assert.deepStrictEqual(ours.outputs.y.tensor_shape, py.outputs.y.tensor_shape);
    assert.deepStrictEqual(f32(ours.outputs.y.float_val), f32(py.outputs.y.float_val));
    assert.deepStrictEqual(f32(py.outputs.y.float_val), f32([2.5, 3, 2.05, 0.25]));

    // The REST body over gRPC answers what REST answers, in both formats.
    for (const body of [{ instances: x }, { inputs: { x } }, { instances: [{ inputs: [1.5] }], signature_name: 'regress_x2_to_y3' }]) {
      assert.deepStrictEqual(f32((await grpc.predict(MODEL, body)).value), f32((await rest.predict(MODEL, body)).value), JSON.stringify(body));
    }

    // Errors: the same status and text as the Python client sees, as one plain message.
    assert.ok('error' in pyMissing);
    await assert.rejects(grpc.raw.predict({ model_spec: { name: 'nope' }, inputs: {} }), (e: GrpcError) => {
      assert.strictEqual(e.message, `${pyMissing.error.code}: ${pyMissing.error.details}`);
      assert.strictEqual(e.message, 'NOT_FOUND: Servable not found for request: Latest(nope)');
      return true;
    });
  });

  it('HandleReloadConfigRequest serves the versions and labels it names, seen by gRPC, Python and REST', async () => {
    const config = (labels: Record<string, string>) => ({
      config: { model_config_list: { config: [{ name: MODEL, base_path: modelDir, model_platform: 'tensorflow', model_version_policy: { specific: { versions: ['123', '124'] } }, version_labels: labels }] } },
    });
    const ok = (await grpc.raw.handleReloadConfigRequest(config({ stable: '123', canary: '124' }))).value;
    assert.deepStrictEqual(ok.status, { error_code: 'OK', error_message: '' });
    const versions = (await grpc.status(MODEL)).value.map((s) => [s.version, s.state]);
    assert.deepStrictEqual(versions, [['124', 'AVAILABLE'], ['123', 'AVAILABLE']]);
    const [pyStatus, pyStable, pyCanaryPredict] = await askPython(standin.grpcAddress, [
      { call: 'status', model: MODEL },
      { call: 'status', model: MODEL, label: 'stable' },
      { call: 'predict', model: MODEL, label: 'canary', inputs: { x: { dtype: 'DT_FLOAT', values: [[1.0]] } } },
    ]);
    assert.deepStrictEqual((await grpc.status(MODEL)).value, answerOf(pyStatus));
    assert.deepStrictEqual((await grpc.status(MODEL, { label: 'stable' })).value, answerOf(pyStable));
    assert.deepStrictEqual((await rest.status(MODEL, { label: 'stable' })).value, answerOf(pyStable));
    assert.strictEqual((answerOf(pyCanaryPredict) as { model_spec: { version: string } }).model_spec.version, '124');
    assert.deepStrictEqual((await grpc.predict(MODEL, { instances: [[1.0]] }, { label: 'stable' })).value, (await rest.predict(MODEL, { instances: [[1.0]] }, { label: 'stable' })).value);

    // A label on a version that is not served fails the reload with TF Serving's words; the old labels stay.
    await assert.rejects(grpc.raw.handleReloadConfigRequest(config({ stable: '125' })), /^Error: FAILED_PRECONDITION: Request to assign label to version 125 of model hpt, which is not currently available for inference$/);
    assert.deepStrictEqual((await rest.status(MODEL, { label: 'stable' })).value.map((s) => s.version), ['123']);
  });

  it('sends and receives messages above gRPC\'s 4 MiB default, and says so when a client keeps the default', async () => {
    const n = 1_500_000; // 6 MB of float32 each way
    const values = Array.from({ length: n }, (_, i) => i % 1000);
    const request = { model_spec: { name: MODEL }, inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: String(n) }, { size: '1' }] }, float_val: values } } };
    const r = (await grpc.raw.predict(request)).value as { outputs: { y: { float_val: number[] } } };
    assert.strictEqual(r.outputs.y.float_val.length, n);
    assert.strictEqual(r.outputs.y.float_val[999], Math.fround(0.5 * 999 + 2));
    const small = new TfServingGrpcClient(standin.grpcAddress, { maxMessageBytes: 4 * 1024 * 1024 });
    try {
      await assert.rejects(small.predict(request), (e: GrpcError) => e.status === 'RESOURCE_EXHAUSTED' && /larger than/.test(e.message) && /2 GiB/.test(e.hint ?? ''));
    } finally {
      small.close();
    }
  });

  it('every call has a deadline: a port that accepts and never answers fails with DEADLINE_EXCEEDED in time', async () => {
    // Its accepted sockets are destroyed at the end: close() alone leaves them open, and they keep mocha running.
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => { accepted.add(socket); socket.on('error', () => undefined); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const client = new GrpcServingClient(address, { timeoutMs: 800 });
    const started = Date.now();
    try {
      await assert.rejects(client.status(MODEL), (e: GrpcError) => e.status === 'DEADLINE_EXCEEDED' && e.message.includes('within 800 ms'));
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      assert.strictEqual(await client.isAvailable(MODEL, undefined, 300), false);
    } finally {
      client.close();
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

  // Runs after the reload above: versions 123 and 124 are served, "stable" is 123.
  it('the CLI\'s status and predict answer the same over --grpc as over REST', function () {
    this.timeout(180_000);
    builtCli();
    const dir = tempDir('grpc-cli');
    const bodyFile = path.join(dir, 'body.json');
    fs.writeFileSync(bodyFile, JSON.stringify({ instances: [[1.0], [5.0]] }));
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
    const restPort = standin.restUrl.replace('http://', '');
    for (const [command, ...rest] of [['status', MODEL, '--version', '123'], ['predict', MODEL, '--body', bodyFile, '--label', 'stable']]) {
      const overRest = cli(command, restPort, ...rest);
      const overGrpc = cli(command, standin.grpcAddress, ...rest, '--grpc');
      assert.strictEqual(overRest.status, 0, overRest.stderr);
      assert.strictEqual(overGrpc.status, 0, overGrpc.stderr);
      assert.strictEqual(overGrpc.stdout, overRest.stdout, command);
      assert.match(overGrpc.stderr, command === 'status' ? /ModelService\/GetModelStatus/ : /PredictionService\/Predict/);
    }
    assert.match(cli('status', restPort, MODEL, '--version', '123').stdout, /^version 123: AVAILABLE$/m);
    assert.deepStrictEqual(JSON.parse(cli('predict', standin.grpcAddress, MODEL, '--body', bodyFile, '--grpc').stdout), { predictions: [[2.5], [4.5]] });
    const missing = cli('status', standin.grpcAddress, 'nope', '--grpc');
    assert.strictEqual(missing.status, 1);
    assert.strictEqual(missing.stderr.trim(), 'tfserving-studio status: NOT_FOUND: Could not find any versions of model nope');
    const bad = cli('status', 'localhost', MODEL, '--grpc');
    assert.strictEqual(bad.status, 1);
    assert.match(bad.stderr, /is not a gRPC address: give host:port/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
