// The Docker runner with REAL TensorFlow: tensorflow/tensorflow:2.21.0 built offline from the project's .venv
// (test/docker/buildTensorflowRealImage.sh) on the private engine. A conversion in the container gives what the
// local runner gives for the same model and options, Compare Outputs in the container reports the local numbers,
// and a cancel kills the container. (TF-TRT, which needs an NVIDIA GPU, stays on the stand-in image.)
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { readdirSync, statSync } from 'fs';
import * as path from 'path';
import { TFLITE_RUNNER_IMAGE } from '../../src/core/convert/conversionOptions';
import { ConversionError } from '../../src/core/convert/conversionError';
import { runConversion } from '../../src/core/convert/conversionJob';
import { CONVERSION_LABEL, DockerRunner } from '../../src/core/convert/dockerRunner';
import { runValidation } from '../../src/core/convert/validationJob';
import { REPO, useDockerEngine } from './servingEngineFixture';
import { tensorflowZoo, zooRepository } from './tensorflowZoo';
import { answerRequests, tflite, venvRunner, zooConversion } from './zooConversions';

describe('conversion and Compare Outputs through the Docker runner with real TensorFlow (image from .venv)', function () {
  this.timeout(400_000);
  const engine = useDockerEngine();
  const runner = new DockerRunner({ pull: false, env: ['TF_CPP_MIN_LOG_LEVEL=2'] });
  const cleanups: (() => void)[] = [];
  after(() => { for (const c of cleanups.splice(0)) c(); });

  before(function () {
    this.timeout(600_000);
    execFileSync('sh', [path.join(REPO, 'test/docker/buildTensorflowRealImage.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  });

  const noContainerLeft = async () =>
    assert.deepStrictEqual(await engine().docker.listContainers({ all: true, filters: { label: [CONVERSION_LABEL] } }), [], 'the conversion container is removed');

  it(`dynamic range on the classifier in ${TFLITE_RUNNER_IMAGE}: the same model the local runner makes, published, answering`, async () => {
    const zoo = await tensorflowZoo();
    const repo = zooRepository(zoo, 'classifier');
    cleanups.push(repo.cleanup);
    const lines: string[] = [];
    const inDocker = await runConversion({ versionDir: repo.versionDir, options: tflite({ quantize: 'dynamic' }), runner, destination: { kind: 'next-version' }, onLine: (l) => lines.push(`${l.stream}: ${l.text}`) });
    const local = (await zooConversion('classifier-dynamic')).result;
    assert.strictEqual(inDocker.tensorflowVersion, '2.21.0');
    assert.strictEqual(inDocker.publishedVersion, 2);
    assert.deepStrictEqual(readdirSync(path.join(repo.modelDir, '2')), ['model.tflite']);
    // Same TensorFlow, same model, same options: the same weights by type and the same operators.
    assert.deepStrictEqual(inDocker.report.after.tflite!.tensorsByType, local.report.after.tflite!.tensorsByType);
    assert.deepStrictEqual(inDocker.report.after.tflite!.operators, local.report.after.tflite!.operators);
    assert.ok(Math.abs(inDocker.report.after.modelFileBytes - local.report.after.modelFileBytes) < 1024, `${inDocker.report.after.modelFileBytes} vs ${local.report.after.modelFileBytes}`);
    const answer = (await answerRequests([path.join(inDocker.outputPath, 'model.tflite')]))[path.join(inDocker.outputPath, 'model.tflite')];
    assert.ok(answer && 'outputs' in answer && Object.values(answer.outputs).every((o) => o.finite), JSON.stringify(answer));
    assert.ok(lines.some((l) => /^stdout: @@tfserving-studio \{.*"event": "result"/.test(l)), lines.join('\n'));
    assert.match(inDocker.commandLine, / -v [^ ]+\/1:\/model:ro .* tensorflow\/tensorflow:2\.21\.0 python3 \/work\/convert\.py$/);
    assert.ok(statSync(path.join(repo.modelDir, '2', 'model.tflite')).uid === (process.getuid?.() ?? 0), 'written as the user');
    await noContainerLeft();
  });

  it('int8 with a .npy representative dataset (CNN), mounted read-only under /samples: QUANTIZE at the edges, as locally', async () => {
    const zoo = await tensorflowZoo();
    const repo = zooRepository(zoo, 'cnn');
    cleanups.push(repo.cleanup);
    const inDocker = await runConversion({ versionDir: repo.versionDir, options: tflite({ quantize: 'int8', representativeDataset: zoo.samples('cnn') }), runner, destination: { kind: 'next-version' } });
    const local = (await zooConversion('cnn-int8')).result;
    assert.strictEqual(inDocker.samples?.count, 8);
    assert.match(inDocker.commandLine, / -v [^ ]+\.npy:\/samples\/[^ ]+\.npy:ro /);
    assert.deepStrictEqual(inDocker.report.after.tflite!.operators, local.report.after.tflite!.operators);
    assert.deepStrictEqual(inDocker.report.after.tflite!.tensorsByType, local.report.after.tflite!.tensorsByType);
    await noContainerLeft();
  });

  it('Compare Outputs in the container reports the numbers the local runner reports (seeded inputs)', async () => {
    const { sourceDir, tfliteFile } = await zooConversion('classifier-int8');
    const [inDocker, local] = [
      await runValidation({ savedModelDir: sourceDir, tflite: tfliteFile, runner, samples: 16, seed: 7 }),
      await runValidation({ savedModelDir: sourceDir, tflite: tfliteFile, runner: venvRunner(), samples: 16, seed: 7 }),
    ];
    assert.strictEqual(inDocker.tensorflowVersion, '2.21.0');
    assert.ok(inDocker.outputs[0].maxAbsDiff > 0, 'int8 changes the outputs');
    const numbers = (r: typeof local) => r.outputs.map((o) => [o.name, o.maxAbsDiff, o.meanAbsDiff, o.maxRelError, o.top1AgreementPercent]);
    assert.deepStrictEqual(numbers(inDocker), numbers(local));
    assert.strictEqual(inDocker.passed, local.passed);
    assert.ok(inDocker.savedModelMedianMs > 0 && inDocker.tfliteMedianMs > 0);
    await noContainerLeft();
  });

  it('cancel kills the container and removes it; nothing is published', async () => {
    const zoo = await tensorflowZoo();
    const repo = zooRepository(zoo, 'classifier');
    cleanups.push(repo.cleanup);
    const controller = new AbortController();
    let abortedAt = 0;
    const e = await runConversion({
      versionDir: repo.versionDir, options: tflite({ quantize: 'dynamic' }), runner, destination: { kind: 'next-version' }, signal: controller.signal,
      // The script's first line comes once TensorFlow is imported, before the converter has written anything.
      onLine: () => { if (!abortedAt) { abortedAt = Date.now(); controller.abort(); } },
    }).then(() => assert.fail('expected cancel'), (err: unknown) => err as ConversionError);
    assert.ok(e instanceof ConversionError, String(e));
    assert.strictEqual(e.kind, 'cancelled');
    assert.ok(abortedAt > 0);
    assert.ok(Date.now() - abortedAt < 15_000, `took ${Date.now() - abortedAt} ms`);
    assert.deepStrictEqual(readdirSync(repo.modelDir), ['1']);
    await noContainerLeft();
  });
});
