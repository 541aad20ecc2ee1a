import * as assert from 'node:assert/strict';
import { completeFieldsAt, detectTextProtoMessage, validateTextProto } from '../../src/core/configs/textProtoValidator';

const MSC = 'tensorflow.serving.ModelServerConfig' as const;

describe('text-format config validator', () => {
  it('accepts a model config list with version labels', () => {
    const text = 'model_config_list {\n  config { name: "a" base_path: "/m/a" version_labels { key: "stable" value: 1 } }\n}\n';
    assert.deepEqual(validateTextProto('m.config', text, MSC), []);
  });
  it('reports an unknown field on its name, with a suggestion', () => {
    const text = 'model_config_list {\n  config {\n    base_pth: "/m"\n  }\n}\n';
    const [f] = validateTextProto('m.config', text, MSC);
    assert.equal(f.code, 'textproto.unknown-field');
    assert.match(f.message, /Unknown field "base_pth" in ModelConfig\. Did you mean "base_path"\?/);
    assert.deepEqual(f.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 12 } });
  });
  it('reports a wrong type on the value', () => {
    const [f] = validateTextProto('b.config', 'max_batch_size { value: "big" }', 'tensorflow.serving.BatchingParameters');
    assert.equal(f.code, 'textproto.type');
    assert.deepEqual(f.range.start, { line: 0, character: 24 });
  });
  it('reports a missing closing brace at the end of the file', () => {
    const [f] = validateTextProto('m.config', 'model_config_list {\n', MSC);
    assert.equal(f.code, 'textproto.syntax');
    assert.match(f.message, /Expected "}" before end of file/);
  });
  it('detects the message from a header, the content, then the file name', () => {
    assert.equal(detectTextProtoMessage('x.txt', '# proto-message: MonitoringConfig\n'), 'tensorflow.serving.MonitoringConfig');
    assert.equal(detectTextProtoMessage('x.config', 'max_batch_size { value: 1 }'), 'tensorflow.serving.BatchingParameters');
    assert.equal(detectTextProtoMessage('/a/models.config', ''), MSC);
    assert.equal(detectTextProtoMessage('/a/monitoring.config', ''), 'tensorflow.serving.MonitoringConfig');
    assert.equal(detectTextProtoMessage('/a/notes.txt', 'hello'), undefined);
  });
  it('completes the fields of the innermost message, skipping ones already set', () => {
    const text = 'model_config_list {\n  config {\n    name: "a"\n    \n  }\n}\n';
    const offset = text.indexOf('    \n') + 4;
    const names = completeFieldsAt(text, offset, MSC).map((c) => c.name);
    assert.deepEqual(names, ['base_path', 'model_type', 'model_platform', 'model_version_policy', 'version_labels', 'logging_config']);
    assert.deepEqual(completeFieldsAt('', 0, MSC).map((c) => c.name), ['model_config_list', 'custom_model_config']);
    assert.deepEqual(completeFieldsAt('model_config_list { } ', 22, MSC).map((c) => c.name), []);
    const policy = 'model_config_list { config { model_version_policy { lat';
    assert.deepEqual(completeFieldsAt(policy, policy.length, MSC).map((c) => c.name), ['latest', 'all', 'specific']);
  });
});
