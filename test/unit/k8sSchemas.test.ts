// Kubernetes schemas per document (apiVersion + kind): valid manifests get no schema findings, CRDs and kinds we
// have no schema for stay silent, and each invalid manifest is caught.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateKubernetesManifests } from '../../src/core/validation/kubernetesValidation';
import { kubernetesSchemaFor, kubernetesSchemaKinds } from '../../src/core/validation/schemaForDocument';
import { INVALID_FIXTURES } from './k8sInvalidFixtures';

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'k8s');
const schemaFindings = (file: string) => validateKubernetesManifests(file, readFileSync(file, 'utf8')).filter((f) => f.code === 'schema' || f.code === 'yaml.syntax');

describe('Kubernetes schemas', () => {
  it('has the nine kinds a serving deployment uses', () => {
    assert.equal(kubernetesSchemaKinds.length, 9);
    assert.ok(kubernetesSchemaFor('autoscaling/v2', 'HorizontalPodAutoscaler'));
    assert.equal(kubernetesSchemaFor('autoscaling/v1', 'HorizontalPodAutoscaler'), undefined);
    assert.equal(kubernetesSchemaFor('serving.example.com/v1', 'InferenceService'), undefined);
  });
  for (const name of readdirSync(join(dir, 'schema-valid'))) {
    it(`accepts schema-valid/${name}`, () => {
      assert.deepEqual(schemaFindings(join(dir, 'schema-valid', name)).map((f) => `${f.range.start.line + 1}: ${f.message}`), []);
    });
  }
  for (const name of ['tfserving-good.yaml', 'tfserving-broken.yaml', 'tfserving-warnings.yaml']) {
    it(`finds no schema problem in ${name}`, () => assert.deepEqual(schemaFindings(join(dir, name)).map((f) => f.message), []));
  }
  it('knows what every invalid fixture gets wrong', () => assert.deepEqual(readdirSync(join(dir, 'schema-invalid')).sort(), Object.keys(INVALID_FIXTURES).sort()));
  for (const [name, expected] of Object.entries(INVALID_FIXTURES)) {
    it(`rejects schema-invalid/${name} with exactly its findings`, () => {
      const findings = schemaFindings(join(dir, 'schema-invalid', name));
      assert.deepEqual(findings.map((f) => [f.range.start.line + 1, f.message]), expected);
      assert.ok(findings.every((f) => f.severity === 'error'));
    });
  }
  it('points at the exact key and value', () => {
    const typo = schemaFindings(join(dir, 'schema-invalid', 'containers-typo.yaml'));
    const unknown = typo.find((f) => f.message === 'Unknown key "contianers" in spec.template.spec.');
    assert.ok(unknown, JSON.stringify(typo));
    assert.deepEqual(unknown.range, { start: { line: 9, character: 6 }, end: { line: 9, character: 16 } });
    const replicas = schemaFindings(join(dir, 'schema-invalid', 'replicas-string.yaml'));
    assert.equal(replicas.length, 1);
    assert.match(replicas[0].message, /^spec\.replicas must be integer, not "2"\.$/);
    assert.deepEqual(replicas[0].range.start, { line: 5, character: 12 });
  });
});
