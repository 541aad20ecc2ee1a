// Every generated manifest, across the whole option matrix, must pass our Kubernetes schemas, our TF Serving-aware
// checks and an independent validator compiled from the official Kubernetes OpenAPI (kubernetes-models).
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { appNameFor, generateManifests, SERVICE_TYPES, type ManifestOptions, type ManifestSource } from '../../src/core/k8s/manifestGenerator';
import { manifestInput, manifestInputFromServed } from '../../src/core/k8s/manifestInput';
import { validateKubernetesManifests } from '../../src/core/validation/kubernetesValidation';
import { validateTextProto } from '../../src/core/configs/textProtoValidator';

/** The independent validator: kubernetes-models' compiled OpenAPI schema for each kind; returns its error or ''. */
export function officialValidate(doc: Record<string, unknown>): string {
  const ctor = ({
    'apps/v1 Deployment': Deployment, 'v1 Service': Service, 'v1 ConfigMap': ConfigMap,
    'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler, 'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  } as Record<string, unknown>)[`${doc.apiVersion} ${doc.kind}`] as (new (d: unknown) => { validate(): void }) | undefined;
  if (!ctor) return `no validator for ${doc.apiVersion} ${doc.kind}`;
  try { new ctor(doc).validate(); return ''; } catch (e) { return (e as Error).message; }
}

const SOURCES: ManifestSource[] = [
  { kind: 'gcs', baseUri: 'gs://acme-models/prod/half_plus_two' },
  { kind: 's3', baseUri: 's3://acme-models/prod/half_plus_two', region: 'eu-west-1' },
  { kind: 'pvc', claimName: 'model-store' },
];

function matrix(): ManifestOptions[] {
  const out: ManifestOptions[] = [];
  for (const source of SOURCES) for (const device of ['cpu', 'gpu'] as const) for (const serviceType of SERVICE_TYPES)
    for (const hpa of [false, true]) for (const pdb of [false, true]) for (const labels of [false, true]) {
      out.push({
        modelName: 'half_plus_two', source, device, serviceType, hpa, pdb, replicas: hpa ? 2 : 1, imageTag: '2.17.0',
        versions: labels ? { policy: { kind: 'specific', versions: [123, 124] }, labels: { stable: 123, canary: 124 } } : undefined,
      });
    }
  return out;
}

describe('Kubernetes manifest generator', () => {
  const all = matrix();

  it('every document of every combination: zero findings from our schemas + checks, and the official validator agrees', () => {
    let documents = 0;
    let checkedConfigs = 0;
    const failures: string[] = [];
    for (const o of all) {
      const g = generateManifests(o);
      const known = new Set(g.secrets.map((s) => s.name));
      const findings = validateKubernetesManifests('gen.yaml', g.yaml, known);
      if (findings.length) failures.push(`${JSON.stringify(o)}: ${findings.map((f) => `${f.code} ${f.message}`).join('; ')}`);
      const parsed = parseAllDocuments(g.yaml).map((d) => d.toJS() as Record<string, unknown>);
      assert.deepEqual(parsed, g.documents, 'the YAML says what the documents say');
      for (const d of parsed) {
        documents++;
        const err = officialValidate(d);
        if (err) failures.push(`${d.kind} of ${JSON.stringify(o)}: ${err}`);
      }
      // Config files in the ConfigMap parse as the server's text protos.
      const cm = parsed.find((d) => d.kind === 'ConfigMap') as { data: Record<string, string> };
      for (const [name, text] of Object.entries(cm.data)) {
        const type = name === 'models.config' ? 'tensorflow.serving.ModelServerConfig' : 'tensorflow.serving.MonitoringConfig';
        const f = validateTextProto(name, text, type);
        checkedConfigs++;
        if (f.length) failures.push(`${name}: ${f.map((x) => x.message).join('; ')}`);
      }
    }
    assert.deepEqual(failures, []);
    // What the generator emitted, counted from its output: three documents always, one more for each of HPA and PDB;
    // a model config only when labels were asked for.
    const expectedDocs = all.reduce((n, o) => n + 3 + (o.hpa ? 1 : 0) + (o.pdb ? 1 : 0), 0);
    assert.equal(documents, expectedDocs);
    assert.equal(checkedConfigs, all.length + all.filter((o) => o.versions).length);
    // Every value of every option was generated at least once (the loop cannot silently shrink).
    for (const [what, values] of [['source', SOURCES.map((x) => x.kind)], ['device', ['cpu', 'gpu']], ['serviceType', SERVICE_TYPES]] as const) {
      const seen = new Set(all.map((o) => (what === 'source' ? o.source.kind : o[what])));
      assert.deepEqual([...seen].sort(), [...values].sort(), what);
    }
  });

  it('the validators can fail: a broken selector and a non-numeric port are caught', () => {
    const g = generateManifests(all[0]);
    const dep = structuredClone(g.documents.find((d) => d.kind === 'Deployment')) as any;
    dep.spec.template.metadata.labels['app.kubernetes.io/instance'] = 'other';
    dep.spec.template.spec.containers[0].ports[0].containerPort = 'x';
    const { stringify } = require('yaml') as typeof import('yaml');
    const codes = validateKubernetesManifests('bad.yaml', stringify(dep), new Set(g.secrets.map((s) => s.name))).map((f) => f.code);
    assert.ok(codes.includes('k8s.selector-mismatch'), codes.join());
    assert.ok(codes.includes('schema'), codes.join());
    assert.match(officialValidate(dep), /containerPort/);
  });

  it('never puts a key in a manifest; GCS mounts the Secret read-only and points GOOGLE_APPLICATION_CREDENTIALS into it', () => {
    const g = generateManifests({ modelName: 'm', source: SOURCES[0] });
    assert.ok(!g.documents.some((d) => d.kind === 'Secret'));
    const dep = g.documents.find((d) => d.kind === 'Deployment') as any;
    const c = dep.spec.template.spec.containers[0];
    assert.deepEqual(c.env, [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/secrets/google/key.json' }]);
    assert.deepEqual(c.volumeMounts.find((m: any) => m.name === 'gcp-service-account'), { name: 'gcp-service-account', mountPath: '/var/secrets/google', readOnly: true });
    assert.equal(g.secrets[0].command, 'kubectl create secret generic tfserving-m-gcp-sa --from-file=key.json=PATH/TO/service-account.json');
    assert.match(g.yaml, /^# {3}kubectl create secret generic tfserving-m-gcp-sa --from-file=key.json=/m);
    assert.ok(c.args.includes('--model_base_path=gs://acme-models/prod/half_plus_two'));
    // The header tells you to create the Secret: the checks recognise that and do not warn about it…
    assert.deepEqual(validateKubernetesManifests('g.yaml', g.yaml).map((f) => f.code), []);
    // …while the same manifest without that comment still does.
    const bare = g.yaml.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    assert.deepEqual(validateKubernetesManifests('g.yaml', bare).map((f) => f.code), ['k8s.secret-not-found']);
  });

  it('S3: a sync sidecar fills a shared emptyDir, credentials come from a Secret, the server reads a local path', () => {
    const g = generateManifests({ modelName: 'm', source: SOURCES[1] });
    const spec = (g.documents.find((d) => d.kind === 'Deployment') as any).spec.template.spec;
    const [server, sidecar] = spec.containers;
    assert.ok(server.args.includes('--model_base_path=/models/m'));
    assert.ok(!g.yaml.includes('model_base_path=s3://'));
    assert.deepEqual(sidecar.envFrom, [{ secretRef: { name: 'tfserving-m-aws' } }]);
    assert.deepEqual(sidecar.args.slice(1), ['s3-sync', 's3://acme-models/prod/half_plus_two', '/models/m', '30']);
    assert.deepEqual(spec.volumes.find((v: any) => v.name === 'models'), { name: 'models', emptyDir: {} });
    assert.equal(server.volumeMounts.find((m: any) => m.name === 'models').readOnly, true);
  });

  it('the Deployment carries the server flags, probes, Prometheus annotations, GPU limits and matching labels', () => {
    const g = generateManifests({ modelName: 'half_plus_two', source: SOURCES[2], device: 'gpu', replicas: 3, imageTag: '2.17.0', pollSeconds: 5 });
    const dep = g.documents.find((d) => d.kind === 'Deployment') as any;
    const c = dep.spec.template.spec.containers[0];
    assert.equal(dep.spec.replicas, 3);
    assert.equal(c.image, 'tensorflow/serving:2.17.0-gpu');
    assert.equal(c.resources.limits['nvidia.com/gpu'], 1);
    assert.deepEqual(c.args, ['--port=8500', '--rest_api_port=8501', '--model_name=half_plus_two', '--model_base_path=/models/half_plus_two',
      '--monitoring_config_file=/etc/tfserving-studio/monitoring.config', '--file_system_poll_wait_seconds=5']);
    assert.equal(c.readinessProbe.httpGet.path, '/v1/models/half_plus_two/metadata');
    assert.equal(c.livenessProbe.httpGet.path, '/v1/models/half_plus_two');
    assert.equal(dep.spec.template.metadata.annotations['prometheus.io/path'], '/monitoring/prometheus/metrics');
    for (const [k, v] of Object.entries(dep.spec.selector.matchLabels)) assert.equal(dep.spec.template.metadata.labels[k], v);
  });

  it('labels go into a model config in the ConfigMap, re-read by the server on a poll', () => {
    const g = generateManifests({ modelName: 'm', source: SOURCES[2], versions: { policy: { kind: 'specific', versions: [1, 2] }, labels: { stable: 1, canary: 2 } } });
    const cm = g.documents.find((d) => d.kind === 'ConfigMap') as any;
    assert.match(cm.data['models.config'], /version_labels \{\n {6}key: "canary"\n {6}value: 2\n/);
    const c = (g.documents.find((d) => d.kind === 'Deployment') as any).spec.template.spec.containers[0];
    assert.ok(c.args.includes('--model_config_file=/etc/tfserving-studio/models.config'));
    assert.ok(c.args.includes('--model_config_file_poll_wait_seconds=60'));
  });

  it('one input from a URI or a served container, for the CLI and the editor alike', () => {
    assert.deepEqual(manifestInput('gs://b/prod/half_plus_two/'), { modelName: 'half_plus_two', source: { kind: 'gcs', baseUri: 'gs://b/prod/half_plus_two' } });
    assert.deepEqual(manifestInput('s3://b/m', { region: 'eu-west-1', modelName: 'x' }), { modelName: 'x', source: { kind: 's3', baseUri: 's3://b/m', region: 'eu-west-1', endpoint: undefined } });
    assert.deepEqual(manifestInput('pvc:store/models/hpt'), { modelName: 'hpt', source: { kind: 'pvc', claimName: 'store', subPath: 'models/hpt' } });
    assert.deepEqual(manifestInput('pvc:store'), { modelName: 'store', source: { kind: 'pvc', claimName: 'store' } });
    assert.deepEqual(manifestInput('/data/my model'), { modelName: 'my_model', source: { kind: 'pvc', claimName: 'tfserving-my-model-models', copyFrom: '/data/my model' } });
    const served = manifestInputFromServed({ sourceUri: 's3://b/m', modelName: 'm', imageTag: '2.6.0', monitoringPath: '/metrics', labels: { versions: [1, 2], labels: { stable: 1 } } });
    assert.deepEqual(served, { modelName: 'm', source: { kind: 's3', baseUri: 's3://b/m', region: undefined, endpoint: undefined }, imageTag: undefined, monitoringPath: '/metrics',
      versions: { policy: { kind: 'specific', versions: [1, 2] }, labels: { stable: 1 } } });
    assert.equal(manifestInputFromServed({ sourceUri: 'gs://b/m', modelName: 'm', imageTag: '2.16.1-gpu' }).imageTag, '2.16.1');
  });

  it('refuses a sub-path that leaves the volume, and the checks flag one written by hand', () => {
    for (const bad of ['../../etc', 'a/../../b', '/etc', 'a//b', 'a\nb']) {
      assert.throws(() => generateManifests(manifestInput(`pvc:claim/${bad}`, { modelName: 'm' })), /Sub-path/, bad);
    }
    const good = generateManifests({ modelName: 'm', source: { kind: 'pvc', claimName: 'claim', subPath: 'models/m' } });
    const hostile = good.yaml.replace('subPath: models/m', 'subPath: ../../etc');
    assert.notEqual(hostile, good.yaml);
    const findings = validateKubernetesManifests('h.yaml', hostile);
    assert.deepEqual(findings.map((f) => f.code), ['k8s.subpath-outside']);
    assert.match(findings[0].message, /may not contain "\.\."/);
  });

  it('hostile model names and folders: refused with the names rule, or kept inside quoted comments', () => {
    for (const bad of ['a,b', 'x"y', 'new\nline', '../x', 'sp ace', 'ünï', '']) {
      assert.throws(() => generateManifests({ modelName: bad, source: SOURCES[0] }), /Model name .* may only hold/, JSON.stringify(bad));
    }
    // The longest valid model name still gives valid object names and label values.
    const long = generateManifests({ modelName: 'M'.repeat(199) + '_', source: SOURCES[0] });
    for (const d of long.documents) assert.equal(officialValidate(d), '', String(d.kind));
    assert.deepEqual(validateKubernetesManifests('long.yaml', long.yaml), []);
    // The API server refuses a label value over 63 characters; the checks say so (the official validator does not).
    const tooLong = long.yaml.replace(/tfserving-studio\/model: (\S+)/g, `tfserving-studio/model: ${'m'.repeat(64)}`);
    assert.notEqual(tooLong, long.yaml);
    const codes = validateKubernetesManifests('long.yaml', tooLong).map((f) => f.code);
    assert.deepEqual(codes, Array(codes.length).fill('k8s.label-value'));
    assert.equal(codes.length, 4, 'ConfigMap, Deployment (object and pod template) and Service');
    // A folder with a line break is refused where every location is read; quotes and non-ASCII stay inside the comment.
    assert.throws(() => manifestInput('/tmp/x\n---\nkind: Secret', { modelName: 'm' }), /contains a line break/);
    const g = generateManifests(manifestInput('/tmp/x"\u2028---" é', { modelName: 'm' }));
    assert.deepEqual(parseAllDocuments(g.yaml).map((d) => (d.toJS() as { kind: string }).kind), ['ConfigMap', 'Deployment', 'Service']);
    assert.match(g.yaml, /^# Copy the model folder "\/tmp\/x\\"\\u2028---\\" \\u00e9" \(its numbered versions\) onto PersistentVolumeClaim "tfserving-m-models" first\.$/m);
  });

  it('names objects in DNS-1123 and refuses bad input', () => {
    assert.equal(appNameFor('Half_Plus.Two'), 'tfserving-half-plus-two');
    assert.throws(() => generateManifests({ modelName: 'm', source: SOURCES[0], replicas: 0 }), /Replicas/);
    assert.throws(() => generateManifests({ modelName: 'm', source: { kind: 's3', baseUri: 'gs://x/y' } }), /s3:\/\//);
    assert.throws(() => generateManifests({ modelName: 'm', source: SOURCES[0], serviceType: 'Ingress' as never }), /Service type/);
  });
});
