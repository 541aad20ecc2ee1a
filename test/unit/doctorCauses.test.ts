// The doctor on TF Serving's own message texts (copied as facts from its sources, TensorFlow's libraries, grpc and
// dockerd): each line is matched to its cause, and the evidence around it picks the sub-cause, fix and correction.
import * as assert from 'node:assert/strict';
import { diagnose } from '../../src/core/doctor/diagnose';
import type { Evidence } from '../../src/core/doctor/diagnosis';
import { standardBase64 } from '../../src/core/doctor/correctedRequest';
import { planContainerFix } from '../../src/core/doctor/doctorFixes';
import { diagnosesText } from '../../src/core/doctor/diagnosisText';
import type { InspectedContainer } from '../../src/core/serving/inspectedContainer';

const NO_VERSIONS = "W tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc:268] No versions of servable hpt found under base path /models/hpt. Did you forget to name your leaf directory as a number (eg. '/1/')?";
const container = (over: Partial<NonNullable<Evidence['container']>> = {}): NonNullable<Evidence['container']> => ({
  name: 'c', image: 'tensorflow/serving:latest', cmd: ['--port=8500'], env: { MODEL_NAME: 'hpt' }, mounts: [{ source: '/host/hpt/1', target: '/models/hpt' }], gpu: false, running: true, ...over,
});
const one = (e: Evidence) => {
  const found = diagnose(e);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0];
};
const SIGS = { serving_default: { inputs: { x: { dtype: 'DT_FLOAT' } } }, classify_x_to_y: { inputs: { inputs: { dtype: 'DT_STRING' } } } };

describe('doctor: known causes on TF Serving\'s messages', () => {
  it('1. no versions: base path at a version folder → serve the folder above', () => {
    const d = one({ lines: [NO_VERSIONS], container: container(), folders: [{ servedPath: '/models/hpt', hostDir: '/host/hpt/1', entries: ['saved_model.pb', 'variables/'] }] });
    assert.equal(d.id, 'no-versions');
    assert.match(d.cause, /is a version folder/);
    assert.deepEqual(d.action, { kind: 'serve-parent-folder', label: 'Serve /host/hpt', hostDir: '/host/hpt/1', parentDir: '/host/hpt' });
  });

  it('1. no versions: non-numeric version folders → rename v1 to 1; 1.0 → 1', () => {
    const d = one({ lines: [NO_VERSIONS], folders: [{ servedPath: '/models/hpt', hostDir: '/host/hpt', entries: ['v1/'] }] });
    assert.match(d.cause, /"v1" is not/);
    assert.deepEqual(d.action, { kind: 'rename-version-folder', label: 'Rename v1 to 1', dir: '/host/hpt/v1', to: '1' });
    assert.equal(one({ lines: [NO_VERSIONS], folders: [{ servedPath: '/models/hpt', hostDir: '/h', entries: ['1.0/'] }] }).action?.kind, 'rename-version-folder');
  });

  it('1. no versions: a checkpoint instead of a SavedModel', () => {
    const d = one({ lines: [NO_VERSIONS], folders: [{ servedPath: '/models/hpt', hostDir: '/h', entries: ['checkpoint', 'ckpt-1.data-00000-of-00001', 'ckpt-1.index'] }] });
    assert.match(d.cause, /training checkpoint/);
    assert.match(d.fix, /tf\.saved_model\.save\(model, "\/models\/hpt\/1"\)/);
    assert.equal(d.action, undefined);
  });

  it('2. base path missing: nothing mounted there, or MODEL_NAME naming another folder', () => {
    const line = 'Failed to start server. Error: INVALID_ARGUMENT: Could not find base path /models/model for servable model with error NOT_FOUND: /models/model not found';
    const unmounted = one({ lines: [line], container: container({ mounts: [], env: { MODEL_NAME: 'model' } }) });
    assert.equal(unmounted.id, 'base-path-missing');
    assert.match(unmounted.cause, /Nothing is mounted at \/models\/model/);
    const wrongName = one({ lines: [line], container: container({ mounts: [{ source: '/host/models', target: '/models' }], env: { MODEL_NAME: 'model' } }),
      folders: [{ servedPath: '/models', hostDir: '/host/models', entries: ['hpt/'] }] });
    assert.match(wrongName.cause, /MODEL_NAME is "model" but \/models \(from \/host\/models\) holds hpt/);
    assert.deepEqual(wrongName.action, { kind: 'restart-with-env', label: 'Re-create with MODEL_NAME=hpt', name: 'MODEL_NAME', value: 'hpt' });
  });

  it('3. s3 on a stock image → mirror mode or 2.6.0 (one click)', () => {
    const d = one({ lines: ["E file_system_storage_path_source.cc:353] FileSystemStoragePathSource encountered a filesystem access error: Could not find base path s3://b/m for servable m with error UNIMPLEMENTED: File system scheme 's3' not implemented (file: 's3://b/m')"], container: container() });
    assert.equal(d.id, 's3-not-implemented');
    assert.match(d.fix, /mirror/);
    assert.deepEqual(d.action, { kind: 'use-image-tag', label: 'Re-create with tensorflow/serving:2.6.0', tag: '2.6.0' });
  });

  it('4. op not registered: names the op and the library the stock image lacks', () => {
    const d = one({ lines: ["E loader_harness.cc:74] Loading servable: {name: m version: 1} failed: NOT_FOUND: Op type not registered 'SentencepieceOp' in binary running on 3f2a. Make sure the Op and Kernel are registered in the binary running in this process. Note that if you are loading a saved graph which used ops from tf.contrib (e.g. `tf.contrib.resampler`), accessing should be done before importing the graph, as contrib ops are lazily registered when the module is first accessed."] });
    assert.equal(d.id, 'op-not-registered');
    assert.match(d.title, /SentencepieceOp/);
    assert.match(d.cause, /SentencePiece .*stock tensorflow\/serving image does not include it/);
  });

  it('5. GPU without an NVIDIA runtime (dockerd\'s words) → start on CPU', () => {
    for (const line of ['Error response from daemon: could not select device driver "" with capabilities: [[gpu]]', 'Error response from daemon: unknown or invalid runtime name: nvidia']) {
      const d = one({ lines: [line] });
      assert.equal(d.id, 'gpu-no-runtime');
      assert.equal(d.action?.kind, 'start-on-cpu');
    }
  });

  it('6. unknown signature: lists the model\'s signatures and resends with serving_default', () => {
    const d = one({ lines: ['Serving signature name: "predict" not found in signature def'], signatures: SIGS, request: { body: { signature_name: 'predict', instances: [1] } } });
    assert.equal(d.id, 'signature-not-found');
    assert.match(d.cause, /serving_default, classify_x_to_y/);
    assert.deepEqual(d.correctedRequest, { signature_name: 'serving_default', instances: [1] });
    assert.equal(one({ lines: ['Serving signature key "predict" not found.'] }).id, 'signature-not-found');
  });

  it('7. REST payloads: missing named input, both keys, URL-safe base64, b64 wrapping', () => {
    const missing = one({ lines: ["Missing named input: x in 'inputs' object."], signatures: SIGS, request: { body: { inputs: { input: [1, 2] } } } });
    assert.deepEqual(missing.correctedRequest, { inputs: { x: [1, 2] } });
    const rows = one({ lines: ["Failed to process element: 0 key: input of 'instances' list. Error: INVALID_ARGUMENT: JSON object: does not have named input: input"], signatures: SIGS, request: { body: { instances: [{ input: 1 }, { input: 2 }] } } });
    assert.deepEqual(rows.correctedRequest, { instances: [{ x: 1 }, { x: 2 }] });
    const both = one({ lines: ['JSON Value: {\n    "instances": [1.0],\n    "inputs": [1.0]\n} Not formatted correctly expecting only one of \'inputs\' or \'instances\' keys to exist '], request: { body: { instances: [1], inputs: [1] } } });
    assert.deepEqual(both.correctedRequest, { instances: [1] });
    const urlSafe = one({ lines: ['Unable to base64 decode'], request: { body: { signature_name: 'classify_x_to_y', instances: [{ b64: '-_8' }] } } });
    assert.deepEqual(urlSafe.correctedRequest, { signature_name: 'classify_x_to_y', instances: [{ b64: '+/8=' }] });
    const wrap = one({ lines: ['JSON Value: {\n    "b64": ["AA==", "AQ=="]\n} not formatted correctly for base64 data'], request: { body: { inputs: { b64: ['AA==', 'AQ=='] } } } });
    assert.deepEqual(wrap.correctedRequest, { inputs: [{ b64: 'AA==' }, { b64: 'AQ==' }] });
    const floatB64 = one({ lines: ['JSON Value: {\n    "b64": "AA=="\n} Type: Object is not of expected type: float'] });
    assert.match(floatB64.cause, /"b64" is only for string/);
    assert.equal(floatB64.action, undefined);
    assert.equal(standardBase64('YWJj'), 'YWJj');
  });

  it('8. metrics 404 without a monitoring config → restart with monitoring', () => {
    const d = one({ lines: ['GET /monitoring/prometheus/metrics answered HTTP 404'], container: container() });
    assert.equal(d.id, 'metrics-not-enabled');
    assert.match(d.cause, /without --monitoring_config_file/);
    assert.equal(d.action?.kind, 'restart-with-monitoring');
  });

  it('9. gRPC message above the limit (grpc core and grpc-js wording)', () => {
    for (const line of ['8 RESOURCE_EXHAUSTED: Received message larger than max (8388713 vs 4194304)', 'Received message larger than max (8388713 vs. 4194304)']) {
      const d = one({ lines: [line] });
      assert.equal(d.id, 'grpc-message-too-large');
      assert.match(d.title, /8\.0 MiB .* 4\.0 MiB/);
      assert.match(d.cause, /4 MiB by default/);
    }
  });

  it('10. a label on a version that is not AVAILABLE → the flag, or load first', () => {
    const d = one({ lines: ['Failed to start server. Error: FAILED_PRECONDITION: Request to assign label to version 3 of model hpt, which is not currently available for inference'], container: container() });
    assert.equal(d.id, 'label-unavailable');
    assert.deepEqual(d.action, { kind: 'restart-with-flag', label: 'Restart with --allow_version_labels_for_unavailable_models', flag: 'allow_version_labels_for_unavailable_models', value: 'true' });
    assert.equal(one({ lines: [d.evidence], container: container({ cmd: ['--allow_version_labels_for_unavailable_models=true'] }) }).action, undefined);
  });

  it('never repeats keys a logged URL carries', () => {
    const d = one({ lines: ["Could not find base path http://AKIAKEY:s3cr3t@minio:9000/m for servable m with error UNIMPLEMENTED: File system scheme 'http' not implemented (file: 'http://AKIAKEY:s3cr3t@minio:9000/m')"] });
    assert.doesNotMatch(JSON.stringify(d), /s3cr3t|AKIAKEY/);
  });

  it('says a repeated line once, and nothing about healthy logs', () => {
    assert.equal(diagnose({ lines: [NO_VERSIONS, NO_VERSIONS, NO_VERSIONS] }).length, 1);
    assert.deepEqual(diagnose({ lines: ['I Successfully loaded servable version {name: hpt version: 1}', 'Running gRPC ModelServer at 0.0.0.0:8500 ...'] }), []);
    assert.match(diagnosesText([], 'x.log'), /No known TF Serving failure in x\.log/);
  });

  it('plans container fixes from the inspect answer: a flag more, another tag, the mount moved up', () => {
    const info: InspectedContainer = {
      Id: 'id', Name: '/c', State: { Status: 'exited', Running: false, ExitCode: 255 },
      Config: { Image: 'tensorflow/serving:latest', Cmd: ['--rest_api_port=8501', '--allow_version_labels_for_unavailable_models=false'], Env: ['MODEL_NAME=hpt'], Labels: {} },
      HostConfig: { Mounts: [{ Type: 'bind', Source: '/host/hpt/1', Target: '/models/hpt', ReadOnly: true }], PortBindings: {} },
    };
    assert.deepEqual(planContainerFix(info, { kind: 'restart-with-flag', label: '', flag: 'allow_version_labels_for_unavailable_models', value: 'true' }).create.Cmd,
      ['--rest_api_port=8501', '--allow_version_labels_for_unavailable_models=true']);
    assert.equal(planContainerFix(info, { kind: 'use-image-tag', label: '', tag: '2.6.0' }).create.Image, 'tensorflow/serving:2.6.0');
    assert.deepEqual(planContainerFix(info, { kind: 'restart-with-env', label: '', name: 'MODEL_NAME', value: 'other' }).create.Env, ['MODEL_NAME=other']);
    assert.equal(planContainerFix(info, { kind: 'serve-parent-folder', label: '', hostDir: '/host/hpt/1', parentDir: '/host/hpt' }).create.HostConfig.Mounts[0].Source, '/host/hpt');
  });
});
