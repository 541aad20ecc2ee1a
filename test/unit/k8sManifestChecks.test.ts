import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifests } from '../../src/core/k8s/manifestChecks';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'k8s');
const read = (n: string) => readFileSync(join(fixtures, n), 'utf8');

describe('TF Serving manifest checks', () => {
  it('finds nothing in a correct GCS deployment', () => {
    assert.deepEqual(checkManifests('good.yaml', read('tfserving-good.yaml')), []);
  });

  const text = read('tfserving-broken.yaml');
  const findings = checkManifests('broken.yaml', text, { knownSecretNames: new Set(['other']) });
  const byCode = (code: string) => findings.filter((f) => f.code === code);
  const at = (f: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }) => {
    const lines = text.split('\n');
    return lines[f.range.start.line].slice(f.range.start.character, f.range.end.line === f.range.start.line ? f.range.end.character : undefined);
  };

  it('reports the selector/labels mismatch as an error on the selector value', () => {
    const [f] = byCode('k8s.selector-mismatch');
    assert.equal(f.severity, 'error');
    assert.equal(at(f), 'tfserving');
    assert.equal(f.range.start.line, 7);
  });
  it('reports s3:// on 2.11 as an error on the path', () => {
    const [f] = byCode('k8s.s3-unsupported');
    assert.equal(f.severity, 'error');
    assert.equal(at(f), 's3://bucket/resnet');
  });
  it('offers the --prefer_tflite_model fix exactly over the removed flag', () => {
    const [f] = byCode('k8s.removed-flag');
    assert.equal(at(f), '--use_tflite_model');
    assert.equal(f.fix?.newText, '--prefer_tflite_model');
    assert.deepEqual(f.fix?.range, f.range);
  });
  it('warns about ports the server does not listen on and the undeclared REST port', () => {
    const ports = byCode('k8s.port-mismatch');
    assert.equal(ports.length, 2);
    assert.ok(ports.every((f) => f.severity === 'warning'));
    assert.equal(at(ports[0]), '8501');
  });
  it('warns when the probe asks for another model', () => {
    const [f] = byCode('k8s.probe-model');
    assert.equal(at(f), '/v1/models/half_plus_two');
  });
  it('errors when the credentials file is outside every mount', () => {
    const [f] = byCode('k8s.credentials-not-mounted');
    assert.equal(f.severity, 'error');
    assert.equal(at(f), '/var/secrets/key.json');
  });
  it('warns about an unknown Secret, a missing readiness probe and scrape annotations without metrics', () => {
    assert.equal(at(byCode('k8s.secret-not-found')[0]), 'missing-secret');
    assert.equal(at(byCode('k8s.no-readiness-probe')[0]), 'serving');
    assert.equal(at(byCode('k8s.metrics-disabled')[0]), 'prometheus.io/scrape');
  });
  it('knows Secrets from the workspace', () => {
    const fs = checkManifests('b.yaml', text, { knownSecretNames: new Set(['missing-secret']) });
    assert.equal(fs.filter((f) => f.code === 'k8s.secret-not-found').length, 0);
  });
  it('flags latest and untagged images with s3://, not 2.6', () => {
    const dep = (image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n        - name: s\n          image: ${image}\n          args: ["--model_base_path=s3://b/m"]\n          readinessProbe: {httpGet: {path: /v1/models/m, port: 8501}}\n`;
    const s3 = (image: string) => checkManifests('a.yaml', dep(image)).filter((f) => f.code === 'k8s.s3-unsupported').length;
    assert.equal(s3('tensorflow/serving'), 1);
    assert.equal(s3('tensorflow/serving:latest-gpu'), 1);
    assert.equal(s3('tensorflow/serving:2.7.0'), 1);
    assert.equal(s3('tensorflow/serving:2.6.5'), 0);
    assert.equal(s3('example.com/my-serving-with-s3:2.14'), 0);
  });
});
