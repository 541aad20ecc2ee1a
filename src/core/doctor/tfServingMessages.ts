// The texts TF Serving, TensorFlow, gRPC and the Docker engine print for the failures the doctor knows, as
// patterns. Facts taken from their sources (tensorflow/serving at 9d981c5; TensorFlow 2.21's libraries; grpc core
// and @grpc/grpc-js; dockerd), never reworded: the stand-in server prints them and these patterns read them.

/** file_system_storage_path_source.cc, PollFileSystemForServable: LOG(WARNING) when no version folder is found. */
export const NO_VERSIONS = /No versions of servable (\S+) found under base path (.+?)\. Did you forget to name your leaf directory as a number \(eg\. '\/1\/'\)\?/;

/** file_system_storage_path_source.cc: Env::FileExists failed for the base path. */
export const BASE_PATH_MISSING = /Could not find base path (.+?) for servable (\S+) with error (.*)$/;

/** tensorflow/core/platform/env.cc (GetFileSystemForFile): no file system registered for the scheme. */
export const SCHEME_NOT_IMPLEMENTED = /File system scheme '([^']+)' not implemented \(file: '([^']*)'\)/;

/** tensorflow/core/framework/op.cc (OpRegistry::LookUp), returned as NOT_FOUND while the SavedModel loads. */
export const OP_NOT_REGISTERED = /Op type not registered '([^']+)' in binary running on (\S+?)\.? Make sure the Op and Kernel are registered/;

/** tensorflow/cc/saved_model/loader_util / reader.cc: no graph file in the version folder. */
export const NO_SAVED_MODEL_FILE = /Could not find SavedModel \.pb or \.pbtxt at supplied export directory path: (\S+?)\.?(?: Check|$)/;

/** http_rest_api_handler.cc GetInfoMap (REST) and predict_util.cc (gRPC Predict). */
export const SIGNATURE_NOT_FOUND = /Serving signature name: "([^"]*)" not found in signature def|Serving signature key "([^"]*)" not found\./;

/** json_tensor.cc: the REST request body does not fit the signature. */
export const REST_PAYLOAD = {
  missingNamedInput: /Missing named input: (\S+) in '(inputs|instances)' object\./,
  bothKeys: /Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist/,
  noKey: /Missing 'inputs' or 'instances' key/,
  objectKeysDiffer: /Failed to process element: (\d+) of 'instances' list\. JSON object: .* keys must be equal to: (\S+)/s,
  noNamedInput: /JSON object: does not have named input: (\S+)/,
  base64Decode: /Unable to base64 decode/,
  base64Format: /not formatted correctly for base64 data/,
  typeMismatch: /JSON Value: (.*) Type: (\w+) is not of expected type: (\w+)/s,
} as const;

/** The REST port answers 404 on the metrics path: http_server.cc registers it only with prometheus_config.enable. */
export const METRICS_NOT_FOUND = /GET (\S+) answered HTTP 404/;

/** grpc core (message_size_filter) and @grpc/grpc-js (stream-decoder): a message above the receiver's limit. */
export const GRPC_MESSAGE_TOO_LARGE = /Received message larger than max \((\d+) vs\.? (\d+)\)/;

/** server_core.cc UpdateModelVersionLabelMap. */
export const LABEL_UNAVAILABLE = /Request to assign label to version (\d+) of model (\S+), which is not currently available for inference/;

/** dockerd: a device request for GPUs (`--gpus`) without the NVIDIA container toolkit, or the nvidia runtime missing. */
export const GPU_NO_RUNTIME = /could not select device driver "([^"]*)" with capabilities: \[\[gpu\]\]|unknown or invalid runtime name: nvidia|unknown runtime specified nvidia|nvidia-container-cli: initialization error/;
