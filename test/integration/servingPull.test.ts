// Pulling a missing image with progress, from a real registry (Debian's docker-registry) on 127.0.0.1.
import * as assert from 'assert';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import type { PullProgress } from '../../src/core/serving/dockerEngine';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';
import { TfServingClient } from '../../src/core/serving/tfServingClient';
import { FIXTURES, freePorts, removeContainers, tempDir, useDockerEngine } from './servingEngineFixture';

async function follow(stream: NodeJS.ReadableStream): Promise<{ error?: string }[]> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('serving: pulling a missing image from a registry that answers', function () {
  this.timeout(120_000);
  const engine = useDockerEngine();
  const created: string[] = [];
  let registry: ChildProcess | undefined;
  let repo = '';

  before(async function () {
    const [port] = await freePorts(1);
    const dir = tempDir('registry');
    const config = path.join(dir, 'config.yml');
    fs.writeFileSync(config, `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
    registry = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      registry!.once('error', (e) => reject(new Error(`docker-registry could not start (${e.message}); run test/docker/installTestPackages.sh`)));
      const t0 = Date.now();
      const poll = () => fetch(`http://127.0.0.1:${port}/v2/`).then(() => resolve(), () => (Date.now() - t0 > 10_000 ? reject(new Error('registry did not answer')) : setTimeout(poll, 100)));
      poll();
    });
    // The registry holds a copy of the stand-in under a registry-qualified name; the engine does not have it yet.
    repo = `127.0.0.1:${port}/tensorflow/serving`;
    // A layer of its own (3 MB of random bytes) on top of the stand-in, so the pull really downloads something.
    const layerDir = tempDir('layer');
    fs.writeFileSync(path.join(layerDir, 'pulltest.bin'), crypto.randomBytes(3 << 20));
    const tarFile = path.join(tempDir('tar'), 'layer.tar');
    execFileSync('tar', ['-C', layerDir, '-cf', tarFile, 'pulltest.bin']);
    const c = await engine().docker.createContainer({ Image: 'tensorflow/serving:latest' });
    await c.putArchive(tarFile, { path: '/tmp' });
    await c.commit({ repo, tag: 'pulltest' });
    await c.remove();
    const pushed = await follow(await engine().docker.getImage(`${repo}:pulltest`).push({ authconfig: { serveraddress: repo.split('/')[0] } }));
    assert.ok(!pushed.some((e) => e.error), JSON.stringify(pushed));
    await engine().docker.getImage(`${repo}:pulltest`).remove();
  });

  after(async () => {
    await removeContainers(engine(), created);
    await engine().docker.getImage(`${repo}:pulltest`).remove({ force: true }).catch(() => undefined);
    registry?.kill();
  });

  it('pulls with progress, then starts and serves', async () => {
    const [restPort, grpcPort] = await freePorts();
    const spec = defaultServingSpec({
      modelName: 'hpt', source: { kind: 'local', modelDir: path.join(FIXTURES, 'saved_model_half_plus_two_cpu') },
      configDir: tempDir('cfg'), restPort, grpcPort, imageRepository: repo, imageTag: 'pulltest',
    });
    assert.strictEqual(await engine().imagePresent(`${repo}:pulltest`), false);
    const progress: PullProgress[] = [];
    const started = await engine().createAndStart(containerCreateBody(spec), { onPullProgress: (p) => progress.push(p) });
    created.push(started.id);
    assert.ok(progress.some((p) => /Pull complete|Downloaded newer image/.test(p.status)), JSON.stringify(progress));
    assert.ok(progress.some((p) => p.total && p.current), 'byte progress was reported: ' + JSON.stringify(progress.slice(0, 30)));
    const client = new TfServingClient(started.restUrl);
    await engine().waitUntilReady(started.id, () => client.isAvailable('hpt'), 30_000);
    assert.deepStrictEqual((await client.predict('hpt', { instances: [1.0, 2.0, 5.0] })).value, { predictions: [2.5, 3.0, 4.5] });
    const listed = (await engine().listServingContainers()).find((c) => c.id === started.id);
    assert.strictEqual(listed?.imageTag, 'pulltest');
  });

  it('says when the registry answers but has no such tag', async () => {
    const [restPort, grpcPort] = await freePorts();
    const spec = defaultServingSpec({ modelName: 'hpt', source: { kind: 'local', modelDir: path.join(FIXTURES, 'saved_model_half_plus_two_cpu') }, configDir: tempDir('cfg'), restPort, grpcPort, imageRepository: repo, imageTag: 'no-such-tag' });
    await assert.rejects(engine().createAndStart(containerCreateBody(spec)), (e: Error & { kind?: string }) => {
      assert.strictEqual(e.kind, 'image-missing');
      assert.match(e.message, /the registry has no such image/);
      return true;
    });
  });
});
