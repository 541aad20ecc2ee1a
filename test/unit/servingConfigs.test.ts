import * as assert from 'assert';
import { batchingParametersText, DEFAULT_BATCHING_PARAMETERS } from '../../src/core/configs/batchingParameters';
import { modelServerConfigText, textFormatString } from '../../src/core/configs/modelServerConfig';
import { monitoringConfigText } from '../../src/core/configs/monitoringConfig';

describe('serving: config writers', () => {
  it('writes the monitoring config with the default Prometheus path', () => {
    assert.strictEqual(monitoringConfigText({ enable: true }), 'prometheus_config {\n  enable: true\n  path: "/monitoring/prometheus/metrics"\n}\n');
    assert.throws(() => monitoringConfigText({ enable: true, path: 'metrics' }), /must start with/);
  });

  it('writes batching parameters as wrapper messages and checks allowed sizes', () => {
    assert.strictEqual(batchingParametersText(DEFAULT_BATCHING_PARAMETERS),
      'max_batch_size { value: 32 }\nbatch_timeout_micros { value: 1000 }\nmax_enqueued_batches { value: 100 }\nnum_batch_threads { value: 4 }\n');
    assert.match(batchingParametersText({ ...DEFAULT_BATCHING_PARAMETERS, allowedBatchSizes: [8, 16, 32], padVariableLengthInputs: true }),
      /allowed_batch_sizes: 8\nallowed_batch_sizes: 16\nallowed_batch_sizes: 32\npad_variable_length_inputs: true\n$/);
    assert.throws(() => batchingParametersText({ ...DEFAULT_BATCHING_PARAMETERS, allowedBatchSizes: [8, 16] }), /must equal the max batch size/);
    assert.throws(() => batchingParametersText({ ...DEFAULT_BATCHING_PARAMETERS, maxBatchSize: 0 }), /≥ 1/);
  });

  it('writes several models with policies and labels, escaping strings', () => {
    const text = modelServerConfigText([
      { name: 'a', basePath: '/models/a', versionPolicy: { kind: 'all' } },
      { name: 'b', basePath: 'gs://x/"b"', versionPolicy: { kind: 'latest', numVersions: 2 }, versionLabels: { stable: 3 } },
    ]);
    assert.match(text, /^model_config_list \{\n  config \{\n    name: "a"\n    base_path: "\/models\/a"\n    model_platform: "tensorflow"\n    model_version_policy \{ all \{\} \}\n  \}/);
    assert.match(text, /base_path: "gs:\/\/x\/\\"b\\""/);
    assert.match(text, /model_version_policy \{ latest \{ num_versions: 2 \} \}/);
    assert.throws(() => modelServerConfigText([{ name: 'a', basePath: '/m' }, { name: 'a', basePath: '/n' }]), /appears twice/);
    assert.throws(() => modelServerConfigText([{ name: 'a', basePath: '/m', versionPolicy: { kind: 'specific', versions: [] } }]), /at least one version/);
    assert.strictEqual(textFormatString('é\n'), '"\\303\\251\\n"');
  });
});
