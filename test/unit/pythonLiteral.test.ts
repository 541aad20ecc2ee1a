import * as assert from 'assert';
import { pythonInt, pythonName, pythonString } from '../../src/core/convert/pythonLiteral';

describe('Python literals for generated scripts', () => {
  it('escapes quotes, backslashes and control characters; the literal is printable ASCII on one line', () => {
    assert.strictEqual(pythonString('a"b\\c'), '"a\\"b\\\\c"');
    assert.strictEqual(pythonString('x\ny\rz\t'), '"x\\ny\\rz\\t"');
    assert.strictEqual(pythonString('\u0000\u001b\u007f'), '"\\x00\\x1b\\x7f"');
    for (const hostile of ['m\nimport os', 'm\u2028x', 'm\u000cx', 'm\u0085x', "m'''\"\"\"", 'é/模型/🤖', '\ud800']) {
      const lit = pythonString(hostile);
      assert.match(lit, /^"[\x20-\x7e]*"$/, lit);
    }
  });

  it('non-ASCII becomes \\xNN, \\uNNNN or \\UNNNNNNNN (one escape per code point)', () => {
    assert.strictEqual(pythonString('é模🤖'), '"\\xe9\\u6a21\\U0001f916"');
    assert.strictEqual(pythonString('\ud800'), '"\\ud800"');
  });

  it('refuses numbers and names that are not what the script expects', () => {
    assert.strictEqual(pythonInt(1 << 30, 'n'), '1073741824');
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 60, '3; import os' as unknown as number]) {
      assert.throws(() => pythonInt(bad, 'The maximum workspace'), /The maximum workspace must be a whole number/);
    }
    assert.strictEqual(pythonName('FP16', ['FP32', 'FP16'], 'p'), 'FP16');
    assert.throws(() => pythonName('FP16\nimport os' as 'FP16', ['FP32', 'FP16'], 'The precision'), /The precision must be one of FP32, FP16/);
  });
});
