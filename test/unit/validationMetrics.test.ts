import * as assert from 'assert';
import { compareOutputs, compareOutputValues, DEFAULT_VALIDATION_THRESHOLDS, median } from '../../src/core/convert/validationMetrics';

const values = (shape: number[], v: number[]) => ({ shape, values: Float64Array.from(v) });

describe('validation metrics', () => {
  it('max/mean abs difference, max relative error (floor 1e-6) and top-1 agreement over [1, classes] rows', () => {
    // Two examples of 3 classes: the first agrees on its top class, the second does not.
    const a = values([1, 3], [0.7, 0.2, 0.1, 0.3, 0.4, 0.3]);
    const b = values([1, 3], [0.6, 0.3, 0.1, 0.5, 0.2, 0.3]);
    const c = compareOutputValues('p', a, b);
    assert.strictEqual(c.elements, 6);
    assert.ok(Math.abs(c.maxAbsDiff - 0.2) < 1e-12);
    assert.ok(Math.abs(c.meanAbsDiff - (0.1 + 0.1 + 0 + 0.2 + 0.2 + 0) / 6) < 1e-12);
    assert.ok(Math.abs(c.maxRelError - 0.2 / 0.3) < 1e-12);
    assert.strictEqual(c.top1AgreementPercent, 50);
    // Zero references divide by the floor; non-classifier shapes have no top-1.
    const z = compareOutputValues('y', values([1], [0, 0]), values([1], [1e-6, 0]));
    assert.deepStrictEqual([z.maxRelError, z.top1AgreementPercent], [1, undefined]);
  });

  it('flags thresholds, NaN, missing outputs and shape changes in plain words', () => {
    const ref = new Map([['p', values([1, 2], [0.9, 0.1])], ['q', values([1], [1])]]);
    const ok = compareOutputs(ref, new Map([['p', values([1, 2], [0.895, 0.105])], ['q', values([1], [1])]]), DEFAULT_VALIDATION_THRESHOLDS);
    assert.deepStrictEqual(ok.flags, []);
    const bad = compareOutputs(ref, new Map([['p', values([1, 2], [0.1, 0.9])], ['r', values([1], [1])]]), DEFAULT_VALIDATION_THRESHOLDS);
    assert.deepStrictEqual(bad.flags, [
      'The outputs differ: the SavedModel returns p, q, the TFLite model p, r. Is this TFLite file converted from this SavedModel?',
      'Output "p" differs by up to 0.8 (mean 0.8), above the 0.01 allowed.',
      'Output "p" picks the same top class for only 0.0 % of the inputs (at least 99 % expected).',
    ]);
    const nan = compareOutputs(new Map([['q', values([1], [1])]]), new Map([['q', values([1], [Number.NaN])]]), DEFAULT_VALIDATION_THRESHOLDS);
    assert.deepStrictEqual(nan.flags, ['Output "q" differs by up to NaN (mean NaN), above the 0.01 allowed.']);
    const shape = compareOutputs(new Map([['q', values([1, 2], [1, 2])]]), new Map([['q', values([2, 1], [1, 2])]]), DEFAULT_VALIDATION_THRESHOLDS);
    assert.deepStrictEqual(shape.flags, ['Output "q" has shape [1, 2] in the SavedModel but [2, 1] in the TFLite model.']);
  });

  it('median of per-inference times', () => {
    assert.strictEqual(median([3, 1, 2]), 2);
    assert.strictEqual(median([4, 1, 2, 3]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});
