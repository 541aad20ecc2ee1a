import * as assert from 'assert';
import { checkVersionFiles, ignoredFolderReason, parseVersionFolder } from '../../src/core/model/versionRules';

describe('TF Serving version rules', () => {
  it('reads integer folder names, leading zeros included', () => {
    assert.strictEqual(parseVersionFolder('00000123'), 123);
    assert.strictEqual(parseVersionFolder('1'), 1);
    assert.strictEqual(parseVersionFolder('0'), 0);
  });

  it('rejects what the server ignores', () => {
    for (const name of ['v2', '1.0', '-1', ' 1', '1a', '', '.staging-3', '99999999999999999999']) {
      assert.strictEqual(parseVersionFolder(name), undefined, name);
    }
  });

  it('explains ignored folders', () => {
    assert.match(ignoredFolderReason('v2'), /rename it to "2"/);
    assert.match(ignoredFolderReason('1.0'), /dotted/);
  });

  it('judges validity from the files present', () => {
    assert.deepStrictEqual(checkVersionFiles(['saved_model.pb', 'variables/variables.index']), { valid: true, format: 'savedmodel', missing: [] });
    assert.deepStrictEqual(checkVersionFiles(['saved_model.pbtxt', 'variables']), { valid: true, format: 'savedmodel', missing: [] });
    assert.deepStrictEqual(checkVersionFiles(['model.tflite']), { valid: true, format: 'tflite', missing: [] });
    // TF Serving needs only the graph file: without variables/ TensorFlow skips the restore (a graph of constants serves).
    assert.deepStrictEqual(checkVersionFiles(['saved_model.pb']), { valid: true, format: 'savedmodel', missing: [] });
    assert.deepStrictEqual(checkVersionFiles(['saved_model.pbtxt', 'assets/vocab.txt']), { valid: true, format: 'savedmodel', missing: [] });
    assert.deepStrictEqual(checkVersionFiles(['variables/x']), { valid: false, format: 'savedmodel', missing: ['saved_model.pb'] });
    const empty = checkVersionFiles(['assets/foo.txt']);
    assert.strictEqual(empty.valid, false);
    assert.match(empty.missing[0], /model\.tflite/);
  });
});
