// Planning label moves: TF Serving labels only loaded versions, so a move to an unserved version is two steps.
import * as assert from 'node:assert/strict';
import { checkLabelState, labelConfigText, parseLabelAssignment, planLabelMove, withModelConfigFlags } from '../../src/core/serving/versionLabels';
import { containerCreateBody } from '../../src/core/serving/containerCreateBody';
import { defaultServingSpec } from '../../src/core/serving/servingSpec';

const AB = { versions: [123, 124], labels: { stable: 123, canary: 124 } };

describe('version label planning', () => {
  it('moving canary to an unserved version: serve it first, then move the label', () => {
    const steps = planLabelMove(AB, 'canary', 125);
    assert.deepEqual(steps.map((s) => s.state), [
      { versions: [123, 124, 125], labels: { stable: 123, canary: 124 } },
      { versions: [123, 124, 125], labels: { stable: 123, canary: 125 } },
    ]);
    assert.match(steps[0].description, /wait until it is AVAILABLE/);
  });
  it('one step with --allow_version_labels_for_unavailable_models, or when the version is already served', () => {
    assert.equal(planLabelMove(AB, 'canary', 125, { allowUnavailable: true }).length, 1);
    assert.deepEqual(planLabelMove(AB, 'stable', 124).map((s) => s.state), [{ versions: [123, 124], labels: { stable: 124, canary: 124 } }]);
    assert.deepEqual(planLabelMove(AB, 'stable', 123), []);
  });
  it('optionally retires the version no label names any more', () => {
    const steps = planLabelMove(AB, 'canary', 125, { retireUnlabeled: true });
    assert.equal(steps.length, 3);
    assert.deepEqual(steps[2].state, { versions: [123, 125], labels: { stable: 123, canary: 125 } });
  });
  it('labels are [a-zA-Z0-9_]+ and must name served versions', () => {
    assert.deepEqual(parseLabelAssignment('canary_2=7'), ['canary_2', 7]);
    for (const bad of ['can-ary=1', 'a b=1', '=1', 'x=', 'x=1.5', 'é=1']) assert.throws(() => parseLabelAssignment(bad), bad);
    assert.throws(() => planLabelMove(AB, 'bad-label', 125), /letters, digits and "_"/);
    assert.throws(() => checkLabelState({ versions: [1], labels: { s: 2 } }), /not served/);
    assert.doesNotThrow(() => checkLabelState({ versions: [1], labels: { s: 2 } }, true));
  });
  it('writes a specific version policy with the labels', () => {
    assert.equal(labelConfigText('m', '/models/m', AB), [
      'model_config_list {', '  config {', '    name: "m"', '    base_path: "/models/m"', '    model_platform: "tensorflow"',
      '    model_version_policy {', '      specific {', '        versions: 123', '        versions: 124', '      }', '    }',
      '    version_labels {', '      key: "stable"', '      value: 123', '    }',
      '    version_labels {', '      key: "canary"', '      value: 124', '    }', '  }', '}', ''].join('\n'));
  });
  it('adds the config flags and the config mount to an existing container, replacing old ones', () => {
    const { create } = containerCreateBody(defaultServingSpec({ modelName: 'm', source: { kind: 'local', modelDir: '/data/m' }, configDir: '/cfg', monitoring: false }));
    const once = withModelConfigFlags(create, '/cfg', 2, false);
    const twice = withModelConfigFlags(once, '/cfg', 3, true);
    assert.deepEqual(twice.Cmd, ['--model_config_file=/etc/tfserving-studio/models.config', '--model_config_file_poll_wait_seconds=3', '--allow_version_labels_for_unavailable_models=true']);
    assert.equal(twice.HostConfig.Mounts.filter((m) => m.Target === '/etc/tfserving-studio').length, 1);
  });
});
