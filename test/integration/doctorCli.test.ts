// `tfserving-studio doctor <container|logfile>` on the real engine with the stand-in image: the same diagnoses
// the editor shows (one core function), printed as text or JSON; exit 1 when a known failure is found.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { doctorCommand } from '../../src/cli/doctorCommand';
import { diagnoseContainer } from '../../src/core/doctor/containerEvidence';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { copyModel, FIXTURES, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

describe('doctor CLI on the real Docker engine', function () {
  this.timeout(60_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  after(async () => removeContainers(engine(), created));

  async function start(modelDir: string, extra: string[] = [], monitoring = false) {
    const [restPort, grpcPort] = await freePorts();
    const plan = containerCreateBody(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir }, configDir: tempDir('cfg'), restPort, grpcPort, monitoring }));
    plan.create.Cmd.push(...extra);
    const started = await engine().createAndStart(plan, { pull: false });
    created.push(started.id);
    return started;
  }
  async function doctor(args: string[]) {
    const out: string[] = [];
    const code = await doctorCommand.run(args, { out: (s) => out.push(s), err: (s) => out.push(s), env: process.env, cwd: FIXTURES });
    return { code, text: out.join('\n') };
  }
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 200));
  };

  it('diagnoses a container whose version folder is named v1, as the editor does', async () => {
    const dir = copyModel('saved_model_half_plus_two_cpu', { '00000123': 'v1' });
    const c = await start(dir);
    await until(async () => (await engine().lastLogLines(c.id)).some((l) => /No versions of servable/.test(l.text)));
    const { code, text } = await doctor([c.name]);
    assert.strictEqual(code, 1, text);
    assert.match(text, new RegExp(`^1 known failure in ${c.name}:`));
    assert.match(text, /TF Serving said: No versions of servable hpt found under base path \/models\/hpt\. Did you forget to name your leaf directory as a number \(eg\. '\/1\/'\)\?/);
    assert.match(text, /Fix: Rename v1 to 1; the server picks the version up at its next poll\./);
    assert.match(text, /One-click fix in the editor: Rename v1 to 1/);
    const json = await doctor([c.id, '--json']);
    assert.deepStrictEqual(JSON.parse(json.text), await diagnoseContainer(engine(), c.id, { probeMetrics: true }));
  });

  it('says a running server has no metrics without a monitoring config, and nothing when it has one', async () => {
    const bare = await start(path.join(FIXTURES, 'saved_model_half_plus_two_cpu'));
    await until(() => new TfServingClient(bare.restUrl).isAvailable('hpt'));
    const { code, text } = await doctor([bare.name]);
    assert.strictEqual(code, 1, text);
    assert.match(text, /No metrics at \/monitoring\/prometheus\/metrics\n  TF Serving said: GET \/monitoring\/prometheus\/metrics answered HTTP 404/);
    const monitored = await start(path.join(FIXTURES, 'saved_model_half_plus_two_cpu'), [], true);
    await until(() => new TfServingClient(monitored.restUrl).isAvailable('hpt'));
    const healthy = await doctor([monitored.name]);
    assert.strictEqual(healthy.code, 0, healthy.text);
    assert.match(healthy.text, /^No known TF Serving failure in /);
  });

  it('reads a saved log: a label on an unavailable version, from the server that stopped on it', async () => {
    const labelled = await (async () => {
      const [restPort, grpcPort] = await freePorts();
      const plan = containerCreateBody(defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: path.join(FIXTURES, 'saved_model_half_plus_two_cpu') }, configDir: tempDir('cfg'), restPort, grpcPort, monitoring: false,
        versions: { policy: { kind: 'specific', versions: [123] }, labels: { canary: 124 } } }));
      const started = await engine().createAndStart(plan, { pull: false });
      created.push(started.id);
      return started;
    })();
    await until(async () => !(await engine().inspect(labelled.id)).State.Running);
    const log = path.join(tempDir('log'), 'server.log');
    fs.writeFileSync(log, (await engine().lastLogLines(labelled.id, 500)).map((l) => l.text).join('\n'));
    const { code, text } = await doctor([log]);
    assert.strictEqual(code, 1, text);
    assert.match(text, /A label points at version 124 of hpt, which is not AVAILABLE/);
    assert.match(text, /--allow_version_labels_for_unavailable_models/);
    await assert.rejects(doctor(['no-such-container-or-file']), /no-such-container-or-file is neither a file nor a container on this Docker engine/);
  });
});
