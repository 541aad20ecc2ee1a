// The built CLI (dist/cli.js): `manifests` and `model-config`, output checked by the project's validators.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validateKubernetesManifests } from '../../src/core/validation/kubernetesValidation';
import { validateTextProto } from '../../src/core/configs/textProtoValidator';

const repo = join(__dirname, '..', '..', '..');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 30000 });

describe('tfserving-studio manifests / model-config (built CLI)', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    const b = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    dir = mkdtempSync(join(tmpdir(), 'tfss-manifests-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints valid manifests to stdout for gs:// with every option', () => {
    const r = run(dir, 'manifests', 'gs://acme-models/prod/hpt', '--replicas', '3', '--gpu', '--tag', '2.17.0', '--service-type', 'LoadBalancer', '--hpa', '--pdb', '--label', 'stable=1', '--label', 'canary=2');
    assert.equal(r.status, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    assert.deepEqual(docs.map((d) => d.kind), ['ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    const dep = docs[1];
    assert.equal(dep.spec.replicas, 3);
    assert.equal(dep.spec.template.spec.containers[0].image, 'tensorflow/serving:2.17.0-gpu');
    assert.equal(docs[2].spec.type, 'LoadBalancer');
    assert.match(r.stdout, /^# {3}kubectl create secret generic tfserving-hpt-gcp-sa --from-file=key\.json=/m);
    assert.deepEqual(validateKubernetesManifests('out.yaml', r.stdout, new Set(['tfserving-hpt-gcp-sa'])), []);
  });

  it('writes --out, refuses to overwrite without --force', () => {
    const r = run(dir, 'manifests', 's3://acme-models/hpt', '--out', 'k8s.yaml');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Wrote k8s\.yaml \(ConfigMap, Deployment, Service\)\.\nCreate the Secret first: kubectl create secret generic tfserving-hpt-aws --from-env-file=/);
    const first = readFileSync(join(dir, 'k8s.yaml'), 'utf8');
    writeFileSync(join(dir, 'k8s.yaml'), 'mine');
    const again = run(dir, 'manifests', 's3://acme-models/hpt', '--out', 'k8s.yaml');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /k8s\.yaml exists; pass --force/);
    assert.equal(readFileSync(join(dir, 'k8s.yaml'), 'utf8'), 'mine');
    assert.equal(run(dir, 'manifests', 's3://acme-models/hpt', '--out', 'k8s.yaml', '--force').status, 0);
    assert.equal(readFileSync(join(dir, 'k8s.yaml'), 'utf8'), first);
  });

  it('a local folder becomes a volume claim to fill from it, said in the header', () => {
    const r = run(dir, 'manifests', 'models/hpt');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^# Copy the model folder ${JSON.stringify(join(dir, 'models/hpt')).replace(/[/\\]/g, '\\$&')} \\(its numbered versions\\) onto PersistentVolumeClaim "tfserving-hpt-models" first\\.$`, 'm'));
    assert.deepEqual(validateKubernetesManifests('out.yaml', r.stdout), []);
  });

  it('rejects a sub-path leaving the claim, a bad name, a bad service type and bad replicas with one line and no file', () => {
    for (const args of [['pvc:claim/../../etc'], ['gs://acme-models/hpt', '--name', '../x'], ['gs://acme-models/hpt', '--versions', '1,99999999999999999999'],
      ['gs://acme-models/hpt', '--service-type', 'Ingress'], ['gs://acme-models/hpt', '--replicas', 'two']]) {
      const r = run(dir, 'manifests', ...args, '--out', 'bad.yaml');
      assert.equal(r.status, 1, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.ok(!existsSync(join(dir, 'bad.yaml')));
  });

  it('model-config prints the model config list with labels; refuses a label on an unserved version', () => {
    const r = run(dir, 'model-config', 'hpt', '/models/hpt', '--versions', '1,2', '--label', 'stable=1', '--label', 'canary=2');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(validateTextProto('models.config', r.stdout, 'tensorflow.serving.ModelServerConfig'), []);
    assert.match(r.stdout, /specific \{\n {8}versions: 1\n {8}versions: 2\n {6}\}/);
    assert.match(r.stdout, /version_labels \{\n {6}key: "canary"\n {6}value: 2\n {4}\}/);
    const bad = run(dir, 'model-config', 'hpt', '/models/hpt', '--versions', '1', '--label', 'canary=2');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Label "canary" names version 2, which is not served/);
    assert.equal(run(dir, 'model-config', 'hpt', '/models/hpt', '--versions', '1,2', '--label', 'can-ary=2').status, 1);
    assert.equal(run(dir, 'model-config', 'hpt', '/models/hpt', '--versions', '1', '--label', 'canary=2', '--allow-unavailable').status, 0);
  });
});
