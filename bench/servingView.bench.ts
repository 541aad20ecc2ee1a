// Serving view benchmarks on the real Docker engine (the private one when DOCKER_HOST does not answer):
// - how long after `docker stop` the serving state (what the view draws) shows the container exited, against a
//   1 s polling loop measured in the same run (what a view without the event stream would do);
// - how many Docker API calls the state makes while no view is visible (target: zero) while containers start and stop.
import * as path from 'path';
import type { BenchReport } from './run';
import { ServingState } from '../src/core/serving/servingState';
import { DockerEngine } from '../src/core/serving/dockerEngine';
import { parseDockerHost } from '../src/core/serving/dockerHost';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureDockerEngine } = require(path.resolve(__dirname, '../../test/harness/dockerEngine.js')) as { ensureDockerEngine(): { dockerHost: string; stop(): void } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startIdleContainer(docker: import('dockerode'), name: string): Promise<string> {
  await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
  // The stand-in server needs a model; a version-less base path keeps it waiting, which is all this needs.
  const c = await docker.createContainer({
    name, Image: 'tensorflow/serving:latest', Labels: { 'tfserving-studio.managed': 'true', 'tfserving-studio.model-name': 'bench' },
    Env: ['MODEL_NAME=bench'], HostConfig: { Init: true, Tmpfs: { '/models/bench': '' } },
  });
  await c.start();
  return c.id;
}

export async function stopToViewUpdate(): Promise<BenchReport> {
  const engine = ensureDockerEngine();
  const endpoint = parseDockerHost(engine.dockerHost, 'bench');
  const Dockerode = (await import('dockerode')).default;
  const docker = new Dockerode({ socketPath: endpoint.socketPath });
  const state = new ServingState(() => DockerEngine.connect(endpoint), { statusIntervalMs: 60_000 });
  const rounds = 5;
  const evented: number[] = [];
  const polled: number[] = [];
  let hiddenCalls = -1;
  try {
    // Hidden: nothing watches. Start and stop a container and count the state's API calls.
    const before = state.apiCalls;
    const idHidden = await startIdleContainer(docker, 'tfs-bench-hidden');
    await docker.getContainer(idHidden).stop({ t: 2 });
    await sleep(1500);
    hiddenCalls = state.apiCalls - before;
    await docker.getContainer(idHidden).remove({ force: true });

    await state.setWatching(true);
    for (let i = 0; i < rounds; i++) {
      const id = await startIdleContainer(docker, `tfs-bench-${i}`);
      await waitFor(() => state.containers.some((c) => c.id === id && c.state === 'running'), 10_000);
      // Event stream: time from the stop call to the state showing the container exited.
      const t0 = performance.now();
      const seen = new Promise<void>((resolve) => {
        const sub = state.onDidChange(() => {
          if (state.containers.some((c) => c.id === id && c.state === 'exited')) { sub.dispose(); resolve(); }
        });
      });
      await docker.getContainer(id).stop({ t: 2 });
      await seen;
      evented.push(performance.now() - t0);
      // Baseline: a 1 s polling loop noticing the same change (start again, stop, poll until exited).
      await docker.getContainer(id).start();
      await waitFor(() => state.containers.some((c) => c.id === id && c.state === 'running'), 10_000);
      const p0 = performance.now();
      const stopped = docker.getContainer(id).stop({ t: 2 });
      for (;;) {
        await sleep(1000);
        const list = await docker.listContainers({ all: true, filters: { id: [id] } });
        if (list[0]?.State === 'exited') break;
      }
      await stopped;
      polled.push(performance.now() - p0);
      await docker.getContainer(id).remove({ force: true });
    }
  } finally {
    await state.setWatching(false);
    state.dispose();
    engine.stop();
  }
  const ev = median(evented);
  const po = median(polled);
  return {
    name: 'Serving view: docker stop → view update (event stream) vs 1 s polling; Docker API calls while hidden',
    figures: {
      'event stream median ms': ev,
      'event stream max ms': Math.max(...evented),
      '1 s polling median ms': po,
      'polling / event ratio': po / ev,
      'Docker API calls while hidden': hiddenCalls,
      rounds,
    },
    target: { description: 'stop → update ≤ 500 ms and 0 API calls while hidden', met: ev <= 500 && hiddenCalls === 0 },
  };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}
