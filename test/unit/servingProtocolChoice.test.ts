// Which API a server is asked over: REST unless gRPC was chosen for it (by container name), and the model state is
// read again over the chosen one. In-memory clients stand in for both APIs (the real ones are tested against the
// stand-in server in test/integration/grpcPythonOracle.test.ts).
import * as assert from 'node:assert/strict';
import type { DockerEngine, ServingContainer } from '../../src/core/serving/dockerEngine';
import type { ServingClient } from '../../src/core/serving/servingClient';
import { ServingState } from '../../src/core/serving/servingState';
import type { TfServingClient } from '../../src/core/serving/tfServingClient';

const container = (name: string, grpcAddress?: string): ServingContainer => ({
  id: `id-${name}`, name, image: 'tensorflow/serving:latest', imageTag: 'latest', state: 'running', status: 'Up', ours: true, labels: {}, ports: [],
  modelName: 'hpt', restPort: 8501, restUrl: `http://127.0.0.1:8501/${name}`, grpcAddress,
});

describe('serving: REST or gRPC per server', () => {
  it('asks a server over the API chosen for it, remembers the choice by name, and re-reads its state over it', async () => {
    const containers = [container('a', '127.0.0.1:8500'), container('b')];
    const engine = { listServingContainers: async () => containers } as unknown as DockerEngine;
    const fake = (protocol: 'rest' | 'grpc', where: string) => ({
      protocol,
      status: async () => ({ value: [{ version: protocol === 'grpc' ? '2' : '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }], millis: 1 }),
      where,
    });
    const remembered = new Map<string, 'rest' | 'grpc'>();
    const state = new ServingState(async () => engine, {
      clientFor: async (url) => fake('rest', url) as unknown as TfServingClient,
      grpcClientFor: async (address) => fake('grpc', address) as unknown as ServingClient,
      protocols: { get: (n) => remembered.get(n), set: (n, p) => void remembered.set(n, p) },
    });
    await state.reload();
    const [a, b] = containers;
    assert.equal(state.protocolOf(a), 'rest');
    assert.equal(((await state.clientOf(a)) as unknown as { where: string }).where, 'http://127.0.0.1:8501/a');
    await state.setProtocol(a, 'grpc');
    assert.equal(remembered.get('a'), 'grpc');
    assert.equal(((await state.clientOf(a)) as unknown as { where: string }).where, '127.0.0.1:8500');
    assert.deepEqual(state.statuses.get(a.id), { modelName: 'hpt', versions: [{ version: '2', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }], protocol: 'grpc' });
    // A server without a published gRPC port has no gRPC client, and is not offered to the commands over gRPC.
    await state.setProtocol(b, 'grpc');
    assert.equal(await state.clientOf(b), undefined);
    assert.deepEqual(state.reachable().map((c) => c.name), ['a']);
    state.dispose();
  });
});
