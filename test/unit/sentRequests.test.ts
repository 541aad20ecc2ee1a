import * as assert from 'node:assert/strict';
import { instancesOfBody, SentRequestLog } from '../../src/core/warmup/sentRequests';

describe('requests sent with Send Test Request, for warmup files', () => {
  it('reads rows from row-format and columnar bodies; other JSON is not a predict body', () => {
    assert.deepEqual(instancesOfBody({ instances: [1, 2] }), [1, 2]);
    assert.deepEqual(instancesOfBody({ inputs: [[1], [2]] }), [[1], [2]]);
    assert.deepEqual(instancesOfBody({ inputs: { a: [1, 2], b: ['x', 'y'] } }), [{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
    assert.equal(instancesOfBody({ inputs: { a: [1, 2], b: ['x'] } }), undefined);
    assert.equal(instancesOfBody([1, 2]), undefined);
    assert.equal(instancesOfBody('x'), undefined);
  });

  it('keeps examples per model and signature, oldest first, dropping the oldest requests past the bound', () => {
    const log = new SentRequestLog(4);
    log.record('m', { instances: [1, 2] });
    log.record('m', { signature_name: 'other', instances: [9] });
    log.record('n', { instances: [5] });
    log.record('m', { instances: [3] });
    assert.deepEqual(log.instances('m', 'serving_default'), [1, 2, 3]);
    assert.deepEqual(log.instances('m', 'other'), [9]);
    assert.equal(log.count('m'), 4);
    log.record('m', { instances: [4] });
    assert.deepEqual(log.instances('m', 'serving_default'), [3, 4]);
    assert.deepEqual(log.instances('m', 'other'), [9]);
  });
});
