import * as assert from 'assert';
import { comparePredictions } from '../../src/core/serving/predictionDiff';

describe('comparePredictions', () => {
  it('finds the largest absolute difference position by position', () => {
    const d = comparePredictions({ predictions: [[2.5], [3.0], [4.5]] }, { predictions: [[2.49], [3.0], [4.53]] });
    assert.strictEqual(d.compared, 3);
    assert.ok(Math.abs(d.maxAbsDiff! - 0.03) < 1e-12, String(d.maxAbsDiff));
    assert.deepStrictEqual(d.mismatches, []);
  });

  it('names shape and key mismatches', () => {
    const d = comparePredictions({ outputs: { y: [1, 2] }, extra: 1 }, { outputs: { y: [1] }, other: 2 });
    assert.strictEqual(d.maxAbsDiff, 0);
    assert.deepStrictEqual(d.mismatches, ['outputs.y: 2 vs 1 elements', 'extra: only in the first answer', 'other: only in the second answer']);
  });

  it('has no difference to report without numbers', () => {
    assert.strictEqual(comparePredictions({ p: ['a'] }, { p: ['b'] }).maxAbsDiff, undefined);
  });
});
