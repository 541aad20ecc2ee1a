import * as assert from 'assert';
import { containerCreateBody, imageName, LABELS, maskCreateBody, MASK } from '../../src/core/serving/containerCreateBody';
import { dockerRunCommand, mountField, shellQuote } from '../../src/core/serving/dockerRunCommand';
import { isModelServerFlag, MODEL_SERVER_FLAGS, modelServerArg } from '../../src/core/serving/modelServerFlags';
import { defaultServingSpec, validateServingSpec, type ServingSpec } from '../../src/core/serving/servingSpec';

const local = (over: Partial<ServingSpec> = {}) =>
  defaultServingSpec({ modelName: 'half_plus_two', source: { kind: 'local', modelDir: '/data/models/half_plus_two' }, configDir: '/cfg', ...over });

/** Flags a create body passes, by name (Cmd entries are all --name=value). */
const flagNames = (cmd: string[]) => cmd.map((a) => /^--([a-z_]+)=/.exec(a)?.[1] ?? `NOT-A-FLAG:${a}`);

describe('serving: container create body', () => {
  it('mounts a local model read-only at /models/<name>, binds ports to 127.0.0.1, enables monitoring and Init', () => {
    const { create, files } = containerCreateBody(local());
    assert.strictEqual(create.Image, 'tensorflow/serving:latest');
    assert.deepStrictEqual(create.Env, ['MODEL_NAME=half_plus_two']);
    assert.deepStrictEqual(create.HostConfig.Mounts[0], { Type: 'bind', Source: '/data/models/half_plus_two', Target: '/models/half_plus_two', ReadOnly: true });
    assert.deepStrictEqual(create.HostConfig.PortBindings['8501/tcp'], [{ HostIp: '127.0.0.1', HostPort: '8501' }]);
    assert.deepStrictEqual(create.HostConfig.PortBindings['8500/tcp'], [{ HostIp: '127.0.0.1', HostPort: '8500' }]);
    assert.strictEqual(create.HostConfig.Init, true);
    assert.strictEqual(create.HostConfig.DeviceRequests, undefined);
    assert.deepStrictEqual(create.Cmd, ['--monitoring_config_file=/etc/tfserving-studio/monitoring.config']);
    assert.deepStrictEqual(files, [{ path: '/cfg/monitoring.config', content: 'prometheus_config {\n  enable: true\n  path: "/monitoring/prometheus/metrics"\n}\n' }]);
    assert.strictEqual(create.Labels[LABELS.modelName], 'half_plus_two');
    assert.strictEqual(create.Labels[LABELS.sourceUri], 'file:///data/models/half_plus_two');
    assert.strictEqual(create.Labels[LABELS.restPort], '8501');
    assert.strictEqual(create.Labels[LABELS.monitoringPath], '/monitoring/prometheus/metrics');
  });

  it('requests all GPUs with a device request (or the nvidia runtime) and the -gpu image', () => {
    const gpu = containerCreateBody(local({ device: 'gpu', imageTag: '2.17.0' })).create;
    assert.strictEqual(gpu.Image, 'tensorflow/serving:2.17.0-gpu');
    assert.deepStrictEqual(gpu.HostConfig.DeviceRequests, [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
    const rt = containerCreateBody(local({ device: 'gpu', gpuMode: 'nvidia-runtime' })).create;
    assert.strictEqual(rt.HostConfig.Runtime, 'nvidia');
    assert.strictEqual(rt.HostConfig.DeviceRequests, undefined);
    assert.strictEqual(imageName({ imageTag: 'latest-gpu', device: 'gpu' }), 'tensorflow/serving:latest-gpu');
  });

  it('passes only flags today\'s tensorflow_model_server accepts, in --name=value form', () => {
    const spec = local({
      pollSeconds: 120, preferTfliteModel: true, monitoring: true,
      batching: { maxBatchSize: 8, batchTimeoutMicros: 500, maxEnqueuedBatches: 10, numBatchThreads: 2 },
      versions: { policy: { kind: 'specific', versions: [1, 2] }, labels: { stable: 1, canary: 2 }, allowLabelsForUnavailableModels: true },
    });
    const { create, files } = containerCreateBody(spec);
    const names = flagNames(create.Cmd);
    for (const n of names) assert.ok(isModelServerFlag(n), `${n} is not a model server flag`);
    assert.deepStrictEqual(names.sort(), ['allow_version_labels_for_unavailable_models', 'batching_parameters_file', 'enable_batching',
      'file_system_poll_wait_seconds', 'model_config_file', 'monitoring_config_file', 'prefer_tflite_model'].sort());
    assert.ok(!create.Cmd.some((a) => a.includes('use_tflite_model')));
    assert.ok(!MODEL_SERVER_FLAGS.includes('use_tflite_model' as never));
    assert.deepStrictEqual(files.map((f) => f.path).sort(), ['/cfg/batching.config', '/cfg/models.config', '/cfg/monitoring.config']);
    assert.ok(create.HostConfig.Mounts.some((m) => m.Target === '/etc/tfserving-studio' && m.ReadOnly));
    const models = files.find((f) => f.path.endsWith('models.config'))!.content;
    assert.match(models, /base_path: "\/models\/half_plus_two"/);
    assert.match(models, /key: "canary"\n\s+value: 2/);
  });

  it('turns monitoring off and then writes no config at all', () => {
    const { create, files } = containerCreateBody(local({ monitoring: false }));
    assert.deepStrictEqual(create.Cmd, []);
    assert.deepStrictEqual(files, []);
    assert.strictEqual(create.Labels[LABELS.monitoringPath], '');
    assert.strictEqual(create.HostConfig.Mounts.length, 1);
  });

  it('mounts a GCS service-account key read-only and points GOOGLE_APPLICATION_CREDENTIALS at it', () => {
    const { create } = containerCreateBody(defaultServingSpec({ modelName: 'hpt', configDir: '/cfg', source: { kind: 'gcs', baseUri: 'gs://bucket/repo/hpt', serviceAccountFile: '/home/u/key.json' } }));
    assert.ok(create.Env.includes('MODEL_BASE_PATH=gs://bucket/repo'));
    assert.ok(create.Env.includes('GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/tfserving-studio/gcp-service-account.json'));
    assert.ok(create.HostConfig.Mounts.some((m) => m.Source === '/home/u/key.json' && m.ReadOnly));
    const other = containerCreateBody(defaultServingSpec({ modelName: 'renamed', configDir: '/cfg', source: { kind: 'gcs', baseUri: 'gs://bucket/repo/hpt' } })).create;
    assert.ok(other.Cmd.includes('--model_base_path=gs://bucket/repo/hpt'));
  });

  it('pins s3:// to 2.6 with S3 env and masks the credentials wherever it prints', () => {
    const spec = defaultServingSpec({
      modelName: 'hpt', configDir: '/cfg',
      source: { kind: 's3-pinned', baseUri: 's3://bkt/models/hpt', region: 'eu-west-1', endpoint: '127.0.0.1:9000', useHttps: false, verifySsl: false,
        credentials: { accessKeyId: 'AKIAEXAMPLEKEY', secretAccessKey: 'wJalrXUtnFEMI/SECRET', sessionToken: 'TOKEN123' } },
    });
    const { create } = containerCreateBody(spec);
    assert.strictEqual(create.Image, 'tensorflow/serving:2.6.0');
    for (const e of ['AWS_REGION=eu-west-1', 'S3_ENDPOINT=127.0.0.1:9000', 'S3_USE_HTTPS=0', 'S3_VERIFY_SSL=0', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/SECRET']) assert.ok(create.Env.includes(e), e);
    const masked = JSON.stringify(maskCreateBody(create));
    const line = dockerRunCommand(create);
    for (const secret of ['AKIAEXAMPLEKEY', 'wJalrXUtnFEMI/SECRET', 'TOKEN123']) {
      assert.ok(!masked.includes(secret), `masked body leaks ${secret}`);
      assert.ok(!line.includes(secret), `docker run line leaks ${secret}`);
    }
    assert.ok(line.includes(`AWS_SECRET_ACCESS_KEY=${MASK}`));
    assert.ok(create.Env.includes('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/SECRET'), 'masking must not change the original');
    assert.match(validateServingSpec({ ...spec, imageTag: '2.17.0' }).join(' '), /File system scheme 's3' not implemented/);
  });

  it('refuses specs the server or Docker would reject', () => {
    assert.throws(() => containerCreateBody(local({ restPort: 8500 })), /must differ/);
    assert.throws(() => containerCreateBody(local({ restPort: 70000 })), /between 1 and 65535/);
    assert.throws(() => containerCreateBody(local({ modelName: 'bad name' })), /may only hold/);
    assert.throws(() => modelServerArg('use_tflite_model', true), /not a tensorflow_model_server flag/);
  });
});

describe('serving: docker run line', () => {
  it('is the same container as the create body', () => {
    const { create } = containerCreateBody(local({ containerName: 'tfs-hpt', device: 'gpu', pollSeconds: 5 }));
    assert.strictEqual(dockerRunCommand(create),
      'docker run -d --name tfs-hpt --init -p 127.0.0.1:8501:8501 -p 127.0.0.1:8500:8500 ' +
      '--mount type=bind,source=/data/models/half_plus_two,target=/models/half_plus_two,readonly ' +
      '--mount type=bind,source=/cfg,target=/etc/tfserving-studio,readonly -e MODEL_NAME=half_plus_two --gpus all ' +
      '--label tfserving-studio.managed=true --label tfserving-studio.model-name=half_plus_two ' +
      '--label tfserving-studio.source-uri=file:///data/models/half_plus_two --label tfserving-studio.rest-port=8501 ' +
      '--label tfserving-studio.grpc-port=8500 --label tfserving-studio.monitoring-path=/monitoring/prometheus/metrics ' +
      '--label tfserving-studio.config-dir=/cfg tensorflow/serving:latest-gpu ' +
      '--monitoring_config_file=/etc/tfserving-studio/monitoring.config --file_system_poll_wait_seconds=5');
  });

  it('quotes what the shell would split', () => {
    assert.strictEqual(shellQuote('/a b/c'), "'/a b/c'");
    assert.strictEqual(shellQuote("it's"), `'it'\\''s'`);
    assert.strictEqual(shellQuote(''), "''");
  });
});

describe('serving: docker run line with hostile names', () => {
  it('quotes --mount fields as Docker\'s CSV reader needs and the whole argument for the shell', () => {
    const { create } = containerCreateBody(local({ source: { kind: 'local', modelDir: '/repo/x,source=/etc' }, configDir: '/cfg/"q"' }));
    const line = dockerRunCommand(create);
    assert.ok(line.includes(`--mount 'type=bind,"source=/repo/x,source=/etc",target=/models/half_plus_two,readonly'`), line);
    assert.ok(line.includes(`--mount 'type=bind,"source=/cfg/""q""",target=/etc/tfserving-studio,readonly'`), line);
    assert.strictEqual(mountField('source', 'a\nb'), '"source=a\nb"');
    assert.strictEqual(mountField('source', '/plain/path'), 'source=/plain/path');
  });
});
