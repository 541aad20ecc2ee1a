import * as assert from 'assert';
import { validateFiles } from '../../src/core/validation/validateFiles';
import { deepestOffset, MAX_YAML_DEPTH, parseYamlFile } from '../../src/core/validation/yamlDocuments';

const configMap = (keys: number, extra = '') => {
  let s = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n';
  for (let i = 0; i < keys; i++) s += `  key${i}: "value ${i}"\n`;
  return s + extra;
};

describe('YAML validation stays bounded on big and hostile input', () => {
  it('reports a duplicate key once, at the second key, in a ConfigMap with many keys', () => {
    const findings = validateFiles([{ path: 'cm.yaml', text: configMap(20000, '  key7: again\n') }]);
    assert.deepStrictEqual(findings.map((f) => [f.message, f.range.start.line, f.range.start.character]), [['YAML: Map keys must be unique', 20005, 2]]);
  });

  it('treats keys as YAML does: 1 and "1" differ, merge keys may repeat, nested maps are checked', () => {
    const file = parseYamlFile('a: {x: 1, x: 2}\n1: one\n"1": also\nb: &b {k: v}\nc:\n  <<: *b\n  <<: {z: 1}\n');
    assert.deepStrictEqual(file.documents[0].errors.map((e) => [e.code, e.pos[0]]), [['DUPLICATE_KEY', 10]]);
  });

  it('says where nesting gets too deep instead of overflowing the stack', () => {
    const flow = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    const block = 'apiVersion: v1\nkind: ConfigMap\ndata:\n' + Array.from({ length: 3000 }, (_, i) => `${' '.repeat(2 + i)}k:\n`).join('');
    for (const [name, text, line] of [['flow', flow, 2], ['block', block, 3 + MAX_YAML_DEPTH - 1]] as const) {
      const findings = validateFiles([{ path: `${name}.yaml`, text }]);
      assert.strictEqual(findings.length, 1, name);
      assert.strictEqual(findings[0].code, 'yaml.too-deep', name);
      assert.strictEqual(findings[0].file, `${name}.yaml`);
      assert.strictEqual(findings[0].range.start.line, line, name);
    }
    // Brackets inside quotes and comments do not count.
    assert.strictEqual(deepestOffset(`a: "${'['.repeat(600)}" # ${'{'.repeat(600)}\nb: '${'['.repeat(600)}'\n`, MAX_YAML_DEPTH), undefined);
    assert.strictEqual(deepestOffset('a: [[[1]]]\n', 2), 4); // the line is one level, each bracket another
    // A bracket inside a plain scalar opens nothing, however many lines carry one.
    assert.strictEqual(deepestOffset(Array.from({ length: 2000 }, (_, i) => `k${i}: see [docs\n`).join(''), MAX_YAML_DEPTH), undefined);
  });
});
