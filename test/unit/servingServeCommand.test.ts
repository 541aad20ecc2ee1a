// `tfserving-studio serve --dry-run --json`: the exact create body and files, secrets masked, no network call.
import * as assert from 'assert';
import * as path from 'path';
import { serveCommand } from '../../src/cli/serveCommand';
import type { CliIo } from '../../src/cli/cliIo';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tf-serving');

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (s) => out.push(s), err: (s) => err.push(s), env: { HOME: '/home/u', ...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, cwd: FIXTURES };
  const code = await serveCommand.run(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('serving: tfserving-studio serve --dry-run', () => {
  it('prints the create body and files for a model folder, with the user\'s options', async () => {
    const r = await run(['saved_model_half_plus_two_cpu', '--dry-run', '--json', '--gpu', '--tag', '2.17.0', '--rest-port', '9501', '--grpc-port', '9500', '--poll-seconds', '120', '--batching', '--model-name', 'hpt']);
    assert.strictEqual(r.code, 0, r.err);
    const { create, files } = JSON.parse(r.out);
    assert.strictEqual(create.Image, 'tensorflow/serving:2.17.0-gpu');
    assert.strictEqual(create.name, 'tfserving-hpt-9501');
    assert.deepStrictEqual(create.HostConfig.PortBindings, { '8501/tcp': [{ HostIp: '127.0.0.1', HostPort: '9501' }], '8500/tcp': [{ HostIp: '127.0.0.1', HostPort: '9500' }] });
    assert.deepStrictEqual(create.HostConfig.DeviceRequests, [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
    assert.strictEqual(create.HostConfig.Init, true);
    assert.strictEqual(create.HostConfig.Mounts[0].Source, path.join(FIXTURES, 'saved_model_half_plus_two_cpu'));
    assert.ok(create.Cmd.includes('--file_system_poll_wait_seconds=120'));
    assert.ok(create.Cmd.includes('--enable_batching=true'));
    assert.deepStrictEqual(files.map((f: { path: string }) => path.basename(f.path)).sort(), ['batching.config', 'monitoring.config']);
    assert.ok(files[0].path.startsWith('/home/u/.cache/tfserving-studio/serving/tfserving-hpt-9501/'));
  });

  it('serves exactly the chosen version folder, and nothing when monitoring is off', async () => {
    const r = await run(['saved_model_half_plus_two_2_versions/00000123', '--dry-run', '--json', '--no-monitoring']);
    const { create, files } = JSON.parse(r.out);
    assert.strictEqual(create.Labels['tfserving-studio.model-name'], 'saved_model_half_plus_two_2_versions');
    assert.deepStrictEqual(create.Cmd, ['--model_config_file=/etc/tfserving-studio/models.config']);
    assert.match(files[0].content, /specific \{\n\s+versions: 123\n/);
  });

  it('masks S3 credentials from the environment in pinned mode and mounts a GCS key read-only', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret/VALUE', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' };
    const s3 = await run(['s3://bucket/models/hpt', '--s3-mode', 'pinned', '--dry-run', '--json'], env);
    assert.strictEqual(s3.code, 0, s3.err);
    assert.ok(!s3.out.includes('secret/VALUE') && !s3.out.includes('AKIAEXAMPLE'), s3.out);
    const { create } = JSON.parse(s3.out);
    assert.strictEqual(create.Image, 'tensorflow/serving:2.6.0');
    assert.ok(create.Env.includes('AWS_SECRET_ACCESS_KEY=********'));
    assert.ok(create.Env.includes('S3_ENDPOINT=127.0.0.1:9000') && create.Env.includes('S3_USE_HTTPS=0') && create.Env.includes('MODEL_BASE_PATH=s3://bucket/models'));
    const plain = await run(['s3://bucket/models/hpt', '--s3-mode', 'pinned', '--dry-run'], env);
    assert.ok(!plain.out.includes('secret/VALUE'));
    assert.match(plain.out, /^docker run -d --name tfserving-hpt-8501 --init/);

    const gs = JSON.parse((await run(['gs://b/models/hpt/7', '--dry-run', '--json'], { GOOGLE_APPLICATION_CREDENTIALS: '/keys/sa.json' })).out);
    assert.ok(gs.create.HostConfig.Mounts.some((m: { Source: string; ReadOnly: boolean }) => m.Source === '/keys/sa.json' && m.ReadOnly));
    assert.ok(gs.create.Env.includes('MODEL_BASE_PATH=gs://b/models'));

    const mirror = JSON.parse((await run(['s3://bucket/models/hpt', '--dry-run', '--json'])).out);
    assert.strictEqual(mirror.create.Image, 'tensorflow/serving:latest');
    // One mirror folder per container, as in the editor: two mirrors never share a folder.
    assert.strictEqual(mirror.create.HostConfig.Mounts[0].Source, '/home/u/.cache/tfserving-studio/mirrors/tfserving-hpt-8501');
    assert.strictEqual(mirror.create.Labels['tfserving-studio.source-uri'], 's3://bucket/models/hpt');
  });

  it('serves a TFLite version with --prefer_tflite_model=true, as the editor does', async () => {
    const r = await run(['saved_model_half_plus_two_tflite', '--dry-run', '--json']);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(JSON.parse(r.out).create.Cmd.filter((a: string) => a.startsWith('--prefer_tflite')), ['--prefer_tflite_model=true']);
    const saved = JSON.parse((await run(['saved_model_half_plus_two_cpu', '--dry-run', '--json'])).out);
    assert.ok(!saved.create.Cmd.some((a: string) => a.startsWith('--prefer_tflite')), saved.create.Cmd.join(' '));
    // A bucket model's files are not looked at by a dry run: the flag says it.
    const gs = JSON.parse((await run(['gs://b/models/lite', '--dry-run', '--json', '--prefer-tflite'])).out);
    assert.ok(gs.create.Cmd.includes('--prefer_tflite_model=true'));
    assert.match(serveCommand.usage + serveCommand.summary, /--prefer-tflite/);
  });

  it('takes the S3 endpoint and region from flags before the environment, as host:port with S3_USE_HTTPS', async () => {
    const r = await run(['s3://bucket/models/hpt', '--s3-mode', 'pinned', '--dry-run', '--json', '--endpoint', 'https://minio.example:9443', '--region', 'eu-west-3'],
      { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' });
    const env: string[] = JSON.parse(r.out).create.Env;
    assert.ok(env.includes('S3_ENDPOINT=minio.example:9443') && env.includes('S3_USE_HTTPS=1') && env.includes('AWS_REGION=eu-west-3'), env.join(' '));
    // Keys written into an endpoint URL never reach the container's environment or the printed line.
    const withKeys = await run(['s3://bucket/models/hpt', '--s3-mode', 'pinned', '--dry-run', '--endpoint', 'http://KEYID:s3cr3t@minio:9000']);
    assert.match(withKeys.out, / -e S3_ENDPOINT=minio:9000 /);
    assert.ok(!withKeys.out.includes('s3cr3t') && !withKeys.out.includes('KEYID'), withKeys.out);
  });

  it('refuses a container name that would put config files outside the config folder', async () => {
    for (const bad of ['../../x', 'a/b', '.hidden', 'x\ny']) {
      await assert.rejects(run(['saved_model_half_plus_two_cpu', '--dry-run', '--name', bad]), /Container name .* may only hold letters/, bad);
    }
  });

  it('rejects unknown options and bad values', async () => {
    await assert.rejects(run(['saved_model_half_plus_two_cpu', '--dry-run', '--rest-prot', '1']), /unknown option --rest-prot/);
    await assert.rejects(run(['saved_model_half_plus_two_cpu', '--dry-run', '--rest-port', 'x']), /whole number/);
    await assert.rejects(run(['nope', '--dry-run']), /does not exist/);
    await assert.rejects(run(['saved_model_half_plus_two_cpu', '--dry-run', '--rest-port', '8500']), /must differ/);
    await assert.rejects(run(['saved_model_half_plus_two_cpu', '--dry-run', '--label', 'can-ary=1']), /Version label "can-ary" may only hold letters, digits and "_"/);
    await assert.rejects(run(['saved_model_half_plus_two_cpu', '--dry-run', '--label', 'stable=99999999999999999999']), /too large: TF Serving reads version numbers as 64-bit integers/);
  });
});
