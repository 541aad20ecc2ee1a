// Model identity end to end: the location the Models view holds, written into the container's label by the create
// body, read back by the engine and matched with sameLocation (no string normalising), for hostile paths too.
import * as assert from 'node:assert/strict';
import { containerCreateBody, LABELS } from '../../src/core/serving/containerCreateBody';
import { locationFromLabel, type DockerEngine, type ServingContainer } from '../../src/core/serving/dockerEngine';
import { defaultServingSpec, type ServingSource } from '../../src/core/serving/servingSpec';
import { ServingState } from '../../src/core/serving/servingState';
import type { TfServingClient } from '../../src/core/serving/tfServingClient';
import { parseLocation, type ModelLocation } from '../../src/core/location';

const MODELS: [ModelLocation, ServingSource][] = [
  ...['/data/my models/hpt', '/data/50%/x#1?y', '/data/ünï/a,b', '/data/new\nline'].map((p): [ModelLocation, ServingSource] =>
    [{ scheme: 'file', bucket: '', path: p }, { kind: 'local', modelDir: p }]),
  [parseLocation('gs://bkt/models/hpt'), { kind: 'gcs', baseUri: 'gs://bkt/models/hpt' }],
  [parseLocation('s3://bkt/a b/hpt'), { kind: 's3-mirror', baseUri: 's3://bkt/a b/hpt', mirrorDir: '/mirror' }],
];

function containerFor(id: string, source: ServingSource): ServingContainer {
  const { create } = containerCreateBody(defaultServingSpec({ modelName: 'hpt', source, configDir: '/cfg', restPort: 18501 }));
  const label = create.Labels[LABELS.sourceUri];
  return { id, name: id, image: create.Image, imageTag: 'latest', state: 'running', status: 'Up', ours: true, labels: create.Labels, ports: [],
    modelName: 'hpt', sourceUri: label, source: locationFromLabel(label), restPort: 18501, restUrl: 'http://127.0.0.1:18501' };
}

describe('serving: model identity from the tree to the container label and back', () => {
  it('reads every source label back as the same location', () => {
    for (const [loc, source] of MODELS) assert.deepEqual(containerFor('c', source).source, loc, JSON.stringify(loc.path));
  });

  it('servingOf joins a tree location with its containers only, with the state the injected client reports', async () => {
    const containers = MODELS.map(([, source], i) => containerFor(`c${i}`, source));
    const engine = { listServingContainers: async () => containers } as unknown as DockerEngine;
    const asked: string[] = [];
    const clientFor = async (url: string) => ({
      status: async (model: string) => { asked.push(`${url} ${model}`); return { value: [{ version: '124', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }], millis: 1, httpStatus: 200 }; },
    }) as unknown as TfServingClient;
    const state = new ServingState(async () => engine, { clientFor });
    const statuses = new Promise<void>((resolve) => state.onDidChange(() => { if (state.statuses.size === containers.length) resolve(); }));
    await state.reload();
    await statuses;
    assert.equal(asked.length, containers.length);
    for (const [i, [loc]] of MODELS.entries()) {
      assert.deepEqual(state.servingOf(loc, 124).map((s) => [s.container.id, s.state]), [[`c${i}`, 'AVAILABLE']], JSON.stringify(loc.path));
      assert.deepEqual(state.servingOf(loc, 123), []);
    }
    assert.deepEqual(state.servingOf(parseLocation('/data/my models'), 124), [], 'a parent folder is another model');
    state.dispose();
  });
});
