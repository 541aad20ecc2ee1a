import * as assert from 'node:assert/strict';
import { tfServingProtoRoot } from '../../src/core/protos/tfServingProtos';

describe('tfServingProtoRoot', () => {
  it('holds the services and messages the warmup file and the gRPC client use, with .proto field names', async () => {
    const root = await tfServingProtoRoot();
    assert.deepEqual(Object.keys(root.lookupService('tensorflow.serving.PredictionService').methods).sort(),
      ['Classify', 'GetModelMetadata', 'MultiInference', 'Predict', 'Regress']);
    assert.deepEqual(Object.keys(root.lookupService('tensorflow.serving.ModelService').methods).sort(),
      ['GetModelStatus', 'HandleReloadConfigRequest']);
    const log = root.lookupType('tensorflow.serving.PredictionLog');
    assert.equal(log.fields.predict_log?.id, 6);
    assert.equal(root.lookupType('tensorflow.TensorProto').fields.float_val?.id, 5);
    assert.equal(root.lookupEnum('tensorflow.DataType').values.DT_BFLOAT16, 14);
  });

  it('parses once: the second call returns the same Root', async () => {
    assert.equal(await tfServingProtoRoot(), await tfServingProtoRoot());
  });
});
