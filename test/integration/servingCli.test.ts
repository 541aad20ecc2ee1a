// `tfserving-studio serve` without --dry-run, on the real engine: starts, waits for AVAILABLE, prints id and URLs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { serveCommand } from '../../src/cli/serveCommand';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { copyModel, FIXTURES, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

describe('serving: tfserving-studio serve on the real engine', function () {
  this.timeout(60_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  after(async () => removeContainers(engine(), created));

  it('starts the container and prints its id and URLs; a second start on the same port explains the clash', async () => {
    const [rest, grpc] = await freePorts();
    const args = ['saved_model_half_plus_two_cpu', '--model-name', 'hpt', '--rest-port', String(rest), '--grpc-port', String(grpc), '--config-dir', tempDir('cli'), '--json'];
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env: process.env, cwd: FIXTURES };
    assert.strictEqual(await serveCommand.run(args, io), 0, err.join('\n'));
    const printed = JSON.parse(out.join('\n'));
    created.push(printed.id);
    assert.strictEqual(printed.rest, `http://127.0.0.1:${rest}/v1/models/hpt`);
    assert.strictEqual(printed.grpc, `127.0.0.1:${grpc}`);
    assert.strictEqual(printed.metrics, `http://127.0.0.1:${rest}/monitoring/prometheus/metrics`);
    const client = new TfServingClient(`http://127.0.0.1:${rest}`);
    assert.deepStrictEqual((await client.predict('hpt', { instances: [1.0, 2.0, 5.0] })).value, { predictions: [2.5, 3.0, 4.5] });

    const again = await serveCommand.run([...args, '--name', `tfss-cli-${process.pid}`], { ...io, out: () => undefined });
    assert.strictEqual(again, 1);
    assert.match(err.join('\n'), new RegExp(`Port ${rest} on 127.0.0.1 is already in use\\.\\n  Use port \\d+, the next free one\\.`));
  });

  it('stops waiting as soon as the model failed to load, with TF Serving\'s status (not after 120 s)', async () => {
    // A warmup file that is not TFRecord: TF Serving (and the stand-in) end the version's load with DATA_LOSS.
    const model = copyModel('saved_model_half_plus_two_cpu');
    fs.mkdirSync(path.join(model, '00000123', 'assets.extra'), { recursive: true });
    fs.writeFileSync(path.join(model, '00000123', 'assets.extra', 'tf_serving_warmup_requests'), 'not a TFRecord file at all');
    const [rest, grpc] = await freePorts();
    const err: string[] = [];
    const io = { out: () => undefined, err: (s: string) => err.push(s), env: process.env, cwd: FIXTURES };
    const name = `tfss-cli-failed-${process.pid}`;
    created.push(name);
    const code = await serveCommand.run([model, '--model-name', 'hpt', '--name', name, '--rest-port', String(rest), '--grpc-port', String(grpc), '--config-dir', tempDir('cli')], io);
    assert.strictEqual(code, 1);
    assert.match(err.join('\n'), /its model failed to load \(version 123: DATA_LOSS: .*corrupted record at 0/);
  });
});
