// The Serving view's container list follows Docker's events to the last state: dockerd sends "die" before its list
// says "exited", and an event may arrive while a listing is on its way (a container exiting right after its start).
import * as assert from 'node:assert/strict';
import type { ContainerEvent, DockerEngine, ServingContainer } from '../../src/core/serving/dockerEngine';
import { ServingState } from '../../src/core/serving/servingState';

const container = (state: string): ServingContainer => ({ id: 'c1', name: 'c1', image: 'tensorflow/serving:latest', imageTag: 'latest', state, status: state, ours: false, labels: {}, ports: [] });

function fakeEngine(states: string[], listMs = 0) {
  let onEvent: ((e: ContainerEvent) => void) | undefined;
  let lists = 0;
  const engine = {
    subscribeEvents: async (cb: (e: ContainerEvent) => void) => { onEvent = cb; return { close: () => undefined }; },
    listServingContainers: async () => {
      const s = states[Math.min(lists++, states.length - 1)];
      await new Promise((r) => setTimeout(r, listMs));
      return [container(s)];
    },
  } as unknown as DockerEngine;
  return { engine, event: (action: string) => onEvent!({ id: 'c1', action, time: Date.now() }), lists: () => lists };
}
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('serving state: Docker events to the last container state', () => {
  it('lists again after "die", when the first listing still said running', async () => {
    const f = fakeEngine(['running', 'running', 'exited']);
    const state = new ServingState(async () => f.engine, { statusIntervalMs: 60_000 });
    await state.setWatching(true);
    f.event('die');
    assert.ok(await until(() => state.containers[0]?.state === 'exited'), `still ${state.containers[0]?.state}`);
    state.dispose();
  });

  it('an event during a listing makes one more listing after it', async () => {
    const f = fakeEngine(['running', 'running', 'exited'], 50);
    const state = new ServingState(async () => f.engine, { statusIntervalMs: 60_000 });
    await state.setWatching(true);
    const first = state.reload();
    f.event('start');
    await first;
    assert.ok(await until(() => state.containers[0]?.state === 'exited'), `still ${state.containers[0]?.state}`);
    assert.equal(f.lists(), 3);
    state.dispose();
  });
});
