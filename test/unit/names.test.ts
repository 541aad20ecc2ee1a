// The one module of name rules: every writer refuses the same names with the same words, and hostile input
// (commas, quotes, newlines, "..", spaces, unicode) never passes as a name.
import * as assert from 'node:assert/strict';
import {
  claimNameProblem, containerNameProblem, defaultContainerName, imageTagProblem, modelNameFromFolder, modelNameProblem,
  namespaceProblem, parseVersionNumber, subPathProblem, versionLabelProblem, versionNumberProblem,
} from '../../src/core/names';
import { modelServerConfigText } from '../../src/core/configs/modelServerConfig';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';
import { parseLabelAssignment } from '../../src/core/serving/versionLabels';
import { generateManifests } from '../../src/core/k8s/manifestGenerator';

const HOSTILE = ['a,b', 'x"y', "it's", 'new\nline', '../x', '..', 'sp ace', 'ünï', '', '-lead', '.hidden', 'a/b', 'tab\t', '$(id)'];

describe('name rules (one module for every writer)', () => {
  it('refuses every hostile name as a model name, container name, label and tag, in one line that shows it', () => {
    for (const bad of HOSTILE) {
      for (const [what, problem] of [['model', modelNameProblem], ['container', containerNameProblem], ['label', versionLabelProblem], ['tag', imageTagProblem]] as const) {
        const p = problem(bad);
        assert.ok(p, `${what} ${JSON.stringify(bad)} passed`);
        assert.ok(!p.includes('\n') && p.includes(JSON.stringify(bad)), p);
      }
    }
    for (const good of ['half_plus_two', 'resnet50.v2', 'm-1']) assert.equal(modelNameProblem(good), undefined);
  });

  it('every writer asks the same rule: spec, model config, label flags and manifests refuse the same names', () => {
    for (const bad of HOSTILE) {
      const spec = defaultServingSpec({ modelName: bad, source: { kind: 'local', modelDir: '/m' }, configDir: '/c' });
      assert.throws(() => containerCreateBody(spec), /Model name/, JSON.stringify(bad));
      assert.throws(() => modelServerConfigText([{ name: bad, basePath: '/m' }]), /Model name/);
      assert.throws(() => generateManifests({ modelName: bad, source: { kind: 'gcs', baseUri: 'gs://bkt/m' } }), /Model name/);
      if (bad && !bad.includes('=')) assert.throws(() => parseLabelAssignment(`${bad}=1`), /label|not label=version/);
      assert.throws(() => modelServerConfigText([{ name: 'm', basePath: '/m', versionLabels: { [bad]: 1 } }]), /Version label/);
      assert.throws(() => containerCreateBody({ ...spec, modelName: 'm', containerName: bad }), /Container name/);
    }
  });

  it('labels are TF Serving\'s [a-zA-Z0-9_]+ everywhere: "-" is refused by the model config and the label flag alike', () => {
    assert.throws(() => modelServerConfigText([{ name: 'm', basePath: '/m', versionLabels: { 'can-ary': 1 } }]), /Version label "can-ary"/);
    assert.throws(() => parseLabelAssignment('can-ary=1'), /Version label "can-ary"/);
    assert.doesNotThrow(() => modelServerConfigText([{ name: 'm', basePath: '/m', versionLabels: { canary_2: 1 } }]));
  });

  it('version numbers: what TF Serving reads as an int64, and what counts exactly here', () => {
    assert.equal(parseVersionNumber('00000123'), 123);
    assert.equal(parseVersionNumber(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
    assert.throws(() => parseVersionNumber('99999999999999999999'), /too large: TF Serving reads version numbers as 64-bit integers \(at most 9223372036854775807\)/);
    assert.throws(() => parseVersionNumber('9223372036854775807'), /too large to count exactly/);
    for (const bad of ['-1', '1.5', '1e3', '', ' ', '0x10', '１']) assert.throws(() => parseVersionNumber(bad), /whole number/, bad);
    assert.ok(versionNumberProblem(1e20));
    assert.ok(versionNumberProblem(-1));
    assert.equal(versionNumberProblem(0), undefined);
  });

  it('derived names are valid names: from any folder, a model name; from it, a container name', () => {
    for (const folder of [...HOSTILE, 'x'.repeat(400)]) {
      const model = modelNameFromFolder(folder);
      assert.equal(modelNameProblem(model), undefined, JSON.stringify(folder));
      assert.equal(containerNameProblem(defaultContainerName(model, 8501)), undefined, JSON.stringify(folder));
    }
  });

  it('Kubernetes names and sub-paths', () => {
    assert.equal(claimNameProblem('model-store'), undefined);
    assert.ok(claimNameProblem('Model_Store'));
    assert.equal(namespaceProblem('prod'), undefined);
    assert.ok(namespaceProblem('a.b'));
    assert.equal(subPathProblem('models/hpt'), undefined);
    for (const bad of ['../../etc', 'a/../b', '/etc', 'a//b', 'a/', 'a\nb']) assert.ok(subPathProblem(bad), bad);
  });
});
