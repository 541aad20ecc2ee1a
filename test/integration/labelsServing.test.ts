// Version labels on a real Docker engine with the stand-in TF Serving: A/B by label, refusal of a label on an
// unloaded version (unless the flag is set), and the two-step canary move on a running container.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { DockerEngineError } from '../../src/core/serving/dockerEngineError';
import { defaultServingSpec, type ServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { applyLabelState, labelConfigText, moveLabel, readLabelState, MODEL_CONFIG_NAME } from '../../src/core/serving/versionLabels';
import { copyModel, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

describe('version labels on the stand-in TF Serving (real dockerd)', function () {
  this.timeout(120_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  afterEach(async () => removeContainers(engine(), created));

  async function start(over: Partial<ServingSpec> & { modelDir: string }, waitReady = true) {
    const [restPort, grpcPort] = await freePorts();
    const { modelDir, ...rest } = over;
    const spec = defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir }, configDir: tempDir('cfg'), restPort, grpcPort, monitoring: false, ...rest });
    const started = await engine().createAndStart(containerCreateBody(spec));
    created.push(started.id);
    const client = new TfServingClient(started.restUrl);
    if (waitReady) await engine().waitUntilReady(started.id, () => client.isAvailable('hpt'), 30_000);
    return { spec, started, client };
  }
  const versionsOf = async (c: TfServingClient, sel?: { label: string } | { version: number }) => (await c.status('hpt', sel)).value.map((s) => `${s.version}:${s.state}`);

  it('serves 123+124 labelled stable=123 canary=124: status and predict by label and by version', async () => {
    const { client } = await start({
      modelDir: copyModel('saved_model_half_plus_two_2_versions'),
      versions: { policy: { kind: 'specific', versions: [123, 124] }, labels: { stable: 123, canary: 124 } },
    });
    assert.deepStrictEqual(await versionsOf(client), ['124:AVAILABLE', '123:AVAILABLE']);
    assert.deepStrictEqual(await versionsOf(client, { label: 'stable' }), ['123:AVAILABLE']);
    assert.deepStrictEqual(await versionsOf(client, { label: 'canary' }), ['124:AVAILABLE']);
    assert.deepStrictEqual(await versionsOf(client, { version: 123 }), ['123:AVAILABLE']);
    for (const sel of [{ label: 'stable' }, { label: 'canary' }, { version: 123 }, { version: 124 }]) {
      assert.deepStrictEqual((await client.predict('hpt', { instances: [1, 2, 5] }, sel)).value, { predictions: [2.5, 3, 4.5] });
    }
    assert.strictEqual(((await client.metadata('hpt', { label: 'stable' })).value.model_spec as { version: string }).version, '123');
    await assert.rejects(client.status('hpt', { label: 'nightly' }), (e: Error & { httpStatus?: number }) => e.httpStatus === 400 && /Unrecognized servable version label: nightly/.test(e.message));
  });

  it('refuses at start a label on a version that is not loaded, unless --allow_version_labels_for_unavailable_models', async () => {
    const modelDir = copyModel('saved_model_half_plus_two_2_versions');
    const versions = { policy: { kind: 'specific' as const, versions: [123] }, labels: { stable: 123, canary: 124 } };
    const refused = await start({ modelDir, versions }, false);
    await assert.rejects(engine().waitUntilReady(refused.started.id, () => refused.client.isAvailable('hpt'), 30_000),
      (e: DockerEngineError) => e.kind === 'exited-at-start' && /FAILED_PRECONDITION: Request to assign label to version 124 of model hpt, which is not currently available for inference/.test(e.message));

    const allowed = await start({ modelDir, versions: { ...versions, allowLabelsForUnavailableModels: true } });
    assert.deepStrictEqual(await versionsOf(allowed.client, { label: 'stable' }), ['123:AVAILABLE']);
    await assert.rejects(allowed.client.predict('hpt', { instances: [1] }, { label: 'canary' }), (e: Error & { httpStatus?: number }) => e.httpStatus === 404);
  });

  it('moves canary to a new version in two steps on a running container, restarting it only once', async () => {
    const modelDir = copyModel('saved_model_half_plus_two_2_versions');
    fs.cpSync(path.join(modelDir, '00000124'), path.join(modelDir, '125'), { recursive: true });
    const { started, spec } = await start({ modelDir });
    const progress: string[] = [];

    // 1. Labels on a plain container: recreated once with --model_config_file and its poll flag.
    const first = await applyLabelState(engine(), started.id, { versions: [123, 124], labels: { stable: 123, canary: 124 } }, { configPollSeconds: 1, onProgress: (m) => progress.push(m) });
    created.push(first.containerId);
    assert.strictEqual(first.recreated, true);
    assert.notStrictEqual(first.containerId, started.id);
    const client = new TfServingClient(first.restUrl);
    assert.deepStrictEqual(await versionsOf(client, { label: 'canary' }), ['124:AVAILABLE']);

    // 2. A label written onto a version the policy does not serve is refused by the running server; labels stay.
    const configFile = path.join(spec.configDir, MODEL_CONFIG_NAME);
    const good = fs.readFileSync(configFile, 'utf8');
    fs.writeFileSync(configFile, labelConfigText('hpt', '/models/hpt', { versions: [123, 124], labels: { stable: 123, canary: 125 } }));
    await new Promise((r) => setTimeout(r, 3_000));
    assert.deepStrictEqual(await versionsOf(client, { label: 'canary' }), ['124:AVAILABLE']);
    const logs = (await engine().lastLogLines(first.containerId, 50)).map((l) => l.text).join('\n');
    assert.match(logs, /PollFilesystemAndReloadConfig failed to ReloadConfig: FAILED_PRECONDITION: Request to assign label to version 125/);
    fs.writeFileSync(configFile, good);

    // 3. The two-step move: serve 125, wait for AVAILABLE, then move the label — no restart.
    const moved = await moveLabel(engine(), first.containerId, 'canary', 125, { onProgress: (m) => progress.push(m) });
    assert.strictEqual(moved.recreated, false);
    assert.strictEqual(moved.containerId, first.containerId);
    assert.deepStrictEqual(moved.steps.map((s) => s.state), [
      { versions: [123, 124, 125], labels: { stable: 123, canary: 124 } },
      { versions: [123, 124, 125], labels: { stable: 123, canary: 125 } },
    ]);
    assert.deepStrictEqual(await versionsOf(client, { label: 'canary' }), ['125:AVAILABLE']);
    assert.deepStrictEqual(await versionsOf(client, { label: 'stable' }), ['123:AVAILABLE']);
    assert.deepStrictEqual((await client.predict('hpt', { instances: [4] }, { label: 'canary' })).value, { predictions: [4] });
    assert.deepStrictEqual(readLabelState(spec.configDir), { versions: [123, 124, 125], labels: { stable: 123, canary: 125 } });
    assert.ok(progress.some((p) => /Step 1\/2: Serve version 125/.test(p)) && progress.some((p) => /Step 2\/2: Point "canary" at version 125/.test(p)), progress.join('\n'));
  });
});
