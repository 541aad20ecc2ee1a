import * as assert from 'assert';
import { deviceQuestionPlaceholder } from '../../src/vscode/serving/startQuestionText';

describe('Start TF Serving: the image question', () => {
  it('says "Last used" only after a start of this model, and names what was used', () => {
    // A first start: nothing remembered, so no "Last used: CPU" for a default nobody chose.
    assert.strictEqual(deviceQuestionPlaceholder({}), 'CPU runs anywhere; GPU needs an NVIDIA GPU on the Docker host');
    // Remembered choices without a device (e.g. written by another command) are not a device choice either.
    assert.doesNotMatch(deviceQuestionPlaceholder({ imageTag: '2.17.0', monitoring: true }), /Last used/);
    assert.strictEqual(deviceQuestionPlaceholder({ device: 'cpu', imageTag: 'latest' }), 'Last used: CPU');
    assert.strictEqual(deviceQuestionPlaceholder({ device: 'gpu', gpuMode: 'nvidia-runtime' }), 'Last used: GPU');
  });
});
