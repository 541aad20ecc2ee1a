// Every text-format file the serving core writes must parse with the real protoc against TF Serving's protos,
// and every flag it passes must be one tensorflow_model_server accepts.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { isModelServerFlag } from '../../src/core/serving/modelServerFlags';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';
import { modelServerConfigText } from '../../src/core/configs/modelServerConfig';
import { FIXTURES } from './servingEngineFixture';

const PROTOS = path.join(FIXTURES, 'protos');
// google/protobuf/*.proto ship with libprotobuf-dev (Debian) or next to protoc.
const WELL_KNOWN = ['/usr/include', '/usr/local/include'].find((d) => fs.existsSync(path.join(d, 'google/protobuf/wrappers.proto')));

const MESSAGES: Record<string, { type: string; proto: string }> = {
  'models.config': { type: 'tensorflow.serving.ModelServerConfig', proto: 'tensorflow_serving/config/model_server_config.proto' },
  'monitoring.config': { type: 'tensorflow.serving.MonitoringConfig', proto: 'tensorflow_serving/config/monitoring_config.proto' },
  'batching.config': { type: 'tensorflow.serving.BatchingParameters', proto: 'tensorflow_serving/batching_parameters.proto' },
};

function protoc(mode: 'encode' | 'decode', type: string, proto: string, input: Buffer | string) {
  const r = spawnSync('protoc', [`--${mode}=${type}`, `-I${PROTOS}`, `-I${WELL_KNOWN}`, proto], { input });
  if (r.error) throw new Error(`protoc could not run (${r.error.message}); install Debian protobuf-compiler and libprotobuf-dev`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

describe('serving config files against the real protoc', () => {
  before(() => assert.ok(WELL_KNOWN, 'google/protobuf/wrappers.proto not found: install Debian libprotobuf-dev'));

  const spec = defaultServingSpec({
    modelName: 'half_plus_two', source: { kind: 'local', modelDir: '/m/half_plus_two' }, configDir: '/cfg',
    monitoringPath: '/monitoring/prometheus/metrics', pollSeconds: 120, preferTfliteModel: true,
    batching: { maxBatchSize: 32, batchTimeoutMicros: 1000, maxEnqueuedBatches: 100, numBatchThreads: 4, allowedBatchSizes: [8, 16, 32], padVariableLengthInputs: true },
    versions: { policy: { kind: 'specific', versions: [1, 2] }, labels: { stable: 1, canary: 2 }, allowLabelsForUnavailableModels: true },
  });
  const plan = containerCreateBody(spec);

  it('writes the three config files', () => {
    assert.deepStrictEqual(plan.files.map((f) => path.basename(f.path)).sort(), Object.keys(MESSAGES).sort());
  });

  for (const name of Object.keys(MESSAGES)) {
    it(`${name} encodes as ${MESSAGES[name].type} and decodes to the same fields`, () => {
      const { type, proto } = MESSAGES[name];
      const text = plan.files.find((f) => path.basename(f.path) === name)!.content;
      const enc = protoc('encode', type, proto, text);
      assert.strictEqual(enc.status, 0, enc.stderr);
      assert.ok(enc.stdout.length > 0);
      const dec = protoc('decode', type, proto, enc.stdout);
      assert.strictEqual(dec.status, 0, dec.stderr);
      const canon = (s: string) => s.replace(/\s+/g, ' ').trim();
      const decoded = canon(dec.stdout.toString());
      // The decoded text names the same values (protoc prints its own layout).
      for (const value of text.match(/"[^"]*"|\b\d+\b|\btrue\b/g) ?? []) assert.ok(decoded.includes(value), `${value} missing from ${decoded}`);
    });
  }

  it('a hostile base path stays one string: one model, its path decoded back exactly', () => {
    const hostile = '/models/x"y\\\n}\nconfig { name: "evil" base_path: "/etc" }\t ünï';
    const text = modelServerConfigText([{ name: 'hpt', basePath: hostile, versionLabels: { stable: 1 } }]);
    const { type, proto } = MESSAGES['models.config'];
    const enc = protoc('encode', type, proto, text);
    assert.strictEqual(enc.status, 0, enc.stderr);
    const dec = protoc('decode', type, proto, enc.stdout).stdout.toString();
    assert.strictEqual(dec.match(/^\s*config \{$/gm)?.length, 1, dec);
    assert.strictEqual(dec.match(/^\s*name: /gm)?.length, 1, dec);
    // The bytes of field base_path (ModelConfig field 2) in the encoded message are the path's UTF-8 bytes.
    assert.ok(enc.stdout.includes(Buffer.from(hostile, 'utf8')), 'the encoded message holds the path byte for byte');
  });

  it('the check fails on a file protoc rejects (the test can fail)', () => {
    const bad = protoc('encode', MESSAGES['monitoring.config'].type, MESSAGES['monitoring.config'].proto, 'prometheus_config { enabled: true }');
    assert.notStrictEqual(bad.status, 0);
    assert.match(bad.stderr, /no field named "enabled"/);
    const oldFlagFile = protoc('encode', MESSAGES['batching.config'].type, MESSAGES['batching.config'].proto, 'max_batch_size: 32');
    assert.notStrictEqual(oldFlagFile.status, 0, 'a bare scalar where a wrapper message belongs must be refused');
  });

  it('passes only flags from today\'s tensorflow_model_server', () => {
    for (const arg of plan.create.Cmd) {
      const m = /^--([a-z_]+)=/.exec(arg);
      assert.ok(m && isModelServerFlag(m[1]), `${arg} is not an accepted flag`);
    }
    assert.strictEqual(plan.create.Cmd.length, 7);
  });
});
