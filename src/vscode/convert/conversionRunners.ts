// Builds the core's runners from settings: local Python (see pythonInterpreter.ts) or a tensorflow/tensorflow
// container on the Docker engine the rest of the extension uses.
import { readConversionImage } from '../settings';
import { TENSORRT_RUNNER_IMAGE, TFLITE_RUNNER_IMAGE, type ConversionTarget } from '../../core/convert/conversionOptions';
import type { ConversionRunner } from '../../core/convert/conversionRunner';
import { DockerRunner } from '../../core/convert/dockerRunner';
import { LocalPythonRunner } from '../../core/convert/localPythonRunner';
import { connectDocker } from '../serving/dockerConnection';
import { describeInterpreter, findPythonInterpreter } from './pythonInterpreter';

export type RunnerKind = 'local' | 'docker';

export function runnerImage(target: ConversionTarget): string {
  return readConversionImage(target) || (target === 'tflite' ? TFLITE_RUNNER_IMAGE : TENSORRT_RUNNER_IMAGE);
}

export async function createRunner(kind: RunnerKind, target: ConversionTarget): Promise<{ runner: ConversionRunner; description: string }> {
  if (kind === 'local') {
    const interpreter = await findPythonInterpreter();
    return { runner: new LocalPythonRunner({ python: interpreter.python }), description: `Local Python: ${describeInterpreter(interpreter)}` };
  }
  const image = runnerImage(target);
  return {
    runner: new DockerRunner({ image, connect: connectDocker }),
    description: `Docker: ${image}${target === 'tensorrt' ? ' with all NVIDIA GPUs' : ''}`,
  };
}
