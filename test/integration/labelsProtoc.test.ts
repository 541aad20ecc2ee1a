// Every model config the label code writes (initial A/B, each step of a move) must encode with the real protoc.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { labelConfigText, planLabelMove } from '../../src/core/serving/versionLabels';
import { generateManifests } from '../../src/core/k8s/manifestGenerator';

const PROTOS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'tf-serving', 'protos');
const WELL_KNOWN = ['/usr/include', '/usr/local/include'].find((d) => fs.existsSync(path.join(d, 'google/protobuf/wrappers.proto')));

function encode(text: string, type = 'ModelServerConfig', proto = 'model_server_config.proto') {
  const r = spawnSync('protoc', [`--encode=tensorflow.serving.${type}`, `-I${PROTOS}`, `-I${WELL_KNOWN}`, `tensorflow_serving/config/${proto}`], { input: text });
  if (r.error) throw new Error(`protoc could not run (${r.error.message}); install Debian protobuf-compiler and libprotobuf-dev`);
  return { status: r.status, stderr: r.stderr.toString() };
}

describe('label configs against the real protoc', () => {
  before(() => assert.ok(WELL_KNOWN, 'google/protobuf/wrappers.proto not found: install Debian libprotobuf-dev'));

  it('the A/B config and every step of a two-step move (with retirement) encode', () => {
    const ab = { versions: [123, 124], labels: { stable: 123, canary: 124 } };
    const texts = [labelConfigText('half_plus_two', '/models/half_plus_two', ab),
      ...planLabelMove(ab, 'canary', 125, { retireUnlabeled: true }).map((s) => labelConfigText('half_plus_two', 'gs://b/m', s.state))];
    assert.equal(texts.length, 4);
    for (const t of texts) assert.deepStrictEqual(encode(t), { status: 0, stderr: '' }, t);
  });

  it('the ConfigMap files of generated manifests encode', () => {
    const g = generateManifests({ modelName: 'm', source: { kind: 'gcs', baseUri: 'gs://bkt/m' }, versions: { policy: { kind: 'specific', versions: [1, 2] }, labels: { stable: 1, canary: 2 } } });
    const data = (g.documents.find((d) => d.kind === 'ConfigMap') as { data: Record<string, string> }).data;
    assert.deepStrictEqual(encode(data['models.config']), { status: 0, stderr: '' });
    assert.deepStrictEqual(encode(data['monitoring.config'], 'MonitoringConfig', 'monitoring_config.proto'), { status: 0, stderr: '' });
  });

  it('the check can fail: protoc rejects a label map with a string value', () => {
    const bad = labelConfigText('m', '/m', { versions: [1], labels: { s: 1 } }).replace('value: 1', 'value: "one"');
    assert.notStrictEqual(encode(bad).status, 0);
  });
});
