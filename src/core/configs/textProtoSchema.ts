// Field tables of the TF Serving config messages, transcribed from TF Serving's .proto files
// (test/fixtures/tf-serving/protos: model_server_config, file_system_storage_path_source, logging_config,
// log_collector_config, monitoring_config, batching_parameters) and google/protobuf wrappers/any.
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float';

export interface FieldSpec {
  name: string;
  number: number;
  /** Scalar type, or 'message' / 'enum' with `ref` naming the message or enum. */
  type: ScalarType | 'message' | 'enum';
  ref?: string;
  repeated?: boolean;
  oneof?: string;
  deprecated?: boolean;
  /** proto3 `optional` scalar: tracks presence, so setting it twice is an error even with a default value. */
  presence?: boolean;
  doc?: string;
}

export interface MessageSpec {
  name: string;
  fields: FieldSpec[];
  /** Map entry messages (key/value) come from `map<…>` fields. */
  mapEntry?: boolean;
}

const f = (name: string, number: number, type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, number, type, ...extra });
const wrapper = (name: string, type: ScalarType): MessageSpec => ({ name, fields: [f('value', 1, type)] });

export const enums: Record<string, string[]> = {
  'tensorflow.serving.ModelType': ['MODEL_TYPE_UNSPECIFIED', 'TENSORFLOW', 'OTHER'],
};

const list: MessageSpec[] = [
  {
    name: 'tensorflow.serving.ModelServerConfig',
    fields: [
      f('model_config_list', 1, 'message', { ref: 'tensorflow.serving.ModelConfigList', oneof: 'config', doc: 'The models to serve, one `config { … }` each.' }),
      f('custom_model_config', 2, 'message', { ref: 'google.protobuf.Any', oneof: 'config', doc: 'Model configuration for a custom model source.' }),
    ],
  },
  { name: 'tensorflow.serving.ModelConfigList', fields: [f('config', 1, 'message', { ref: 'tensorflow.serving.ModelConfig', repeated: true, doc: 'One served model.' })] },
  {
    name: 'tensorflow.serving.ModelConfig',
    fields: [
      f('name', 1, 'string', { doc: 'Name of the model, used in request URLs (/v1/models/<name>).' }),
      f('base_path', 2, 'string', { doc: 'Folder (or s3:// / gs:// prefix) holding numbered version folders.' }),
      f('model_type', 3, 'enum', { ref: 'tensorflow.serving.ModelType', deprecated: true, doc: 'Deprecated: use model_platform.' }),
      f('model_platform', 4, 'string', { doc: 'Platform, e.g. "tensorflow".' }),
      f('model_version_policy', 7, 'message', { ref: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy', doc: 'Which versions to serve: latest { num_versions }, all {} or specific { versions }.' }),
      f('version_labels', 8, 'message', { ref: 'tensorflow.serving.ModelConfig.VersionLabelsEntry', repeated: true, doc: 'Map of label → version, e.g. version_labels { key: "stable" value: 1 }.' }),
      f('logging_config', 6, 'message', { ref: 'tensorflow.serving.LoggingConfig', doc: 'Request logging for this model.' }),
    ],
  },
  { name: 'tensorflow.serving.ModelConfig.VersionLabelsEntry', mapEntry: true, fields: [f('key', 1, 'string'), f('value', 2, 'int64')] },
  {
    name: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy',
    fields: [
      f('latest', 100, 'message', { ref: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest', oneof: 'policy_choice', doc: 'Serve the latest N versions.' }),
      f('all', 101, 'message', { ref: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy.All', oneof: 'policy_choice', doc: 'Serve every version found.' }),
      f('specific', 102, 'message', { ref: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy.Specific', oneof: 'policy_choice', doc: 'Serve the listed versions.' }),
    ],
  },
  { name: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest', fields: [f('num_versions', 1, 'uint32', { doc: 'How many of the newest versions to serve (default 1).' })] },
  { name: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy.All', fields: [] },
  { name: 'tensorflow.serving.FileSystemStoragePathSourceConfig.ServableVersionPolicy.Specific', fields: [f('versions', 1, 'int64', { repeated: true, doc: 'Version numbers to serve.' })] },
  {
    name: 'tensorflow.serving.LoggingConfig',
    fields: [
      f('log_collector_config', 1, 'message', { ref: 'tensorflow.serving.LogCollectorConfig' }),
      f('sampling_config', 2, 'message', { ref: 'tensorflow.serving.SamplingConfig' }),
      f('custom_logging_config', 3, 'message', { ref: 'google.protobuf.Any' }),
    ],
  },
  { name: 'tensorflow.serving.LogCollectorConfig', fields: [f('type', 1, 'string'), f('filename_prefix', 2, 'string')] },
  {
    name: 'tensorflow.serving.SamplingConfig',
    fields: [
      f('sampling_rate', 1, 'double', { doc: 'Fraction of requests to log, 0 to 1.' }),
      f('per_task_sampling_configs', 3, 'message', { ref: 'tensorflow.serving.PerTaskSamplingConfig', repeated: true }),
      f('attributes', 2, 'int32', { doc: 'Bit set of SamplingConfig.Attributes.' }),
    ],
  },
  { name: 'tensorflow.serving.PerTaskSamplingConfig', fields: [f('dc', 1, 'string'), f('task_index', 2, 'int32', { presence: true }), f('sampling_rate', 3, 'double')] },
  { name: 'tensorflow.serving.MonitoringConfig', fields: [f('prometheus_config', 1, 'message', { ref: 'tensorflow.serving.PrometheusConfig', doc: 'Prometheus metrics export.' })] },
  {
    name: 'tensorflow.serving.PrometheusConfig',
    fields: [
      f('enable', 1, 'bool', { doc: 'Export metrics on the REST port.' }),
      f('path', 2, 'string', { doc: 'URL path of the metrics (default /monitoring/prometheus/metrics).' }),
    ],
  },
  {
    name: 'tensorflow.serving.BatchingParameters',
    fields: [
      f('max_batch_size', 1, 'message', { ref: 'google.protobuf.Int64Value', doc: 'Largest batch processed at once.' }),
      f('batch_timeout_micros', 2, 'message', { ref: 'google.protobuf.Int64Value', doc: 'Longest wait before a partial batch is processed (µs).' }),
      f('max_enqueued_batches', 3, 'message', { ref: 'google.protobuf.Int64Value', doc: 'Queue length in batches.' }),
      f('num_batch_threads', 4, 'message', { ref: 'google.protobuf.Int64Value', doc: 'Threads processing batches in parallel.' }),
      f('thread_pool_name', 5, 'message', { ref: 'google.protobuf.StringValue' }),
      f('enable_large_batch_splitting', 8, 'message', { ref: 'google.protobuf.BoolValue' }),
      f('max_execution_batch_size', 9, 'message', { ref: 'google.protobuf.Int64Value' }),
      f('allowed_batch_sizes', 6, 'int64', { repeated: true, doc: 'Batch sizes to pad to; the last must equal max_batch_size.' }),
      f('pad_variable_length_inputs', 7, 'bool'),
    ],
  },
  wrapper('google.protobuf.Int64Value', 'int64'),
  wrapper('google.protobuf.StringValue', 'string'),
  wrapper('google.protobuf.BoolValue', 'bool'),
  { name: 'google.protobuf.Any', fields: [f('type_url', 1, 'string'), f('value', 2, 'bytes')] },
];

export const messages: Record<string, MessageSpec> = Object.fromEntries(list.map((m) => [m.name, m]));

/** The top-level messages a TF Serving config file can hold, with the .proto that defines each. */
export const topLevelMessages = {
  'tensorflow.serving.ModelServerConfig': 'tensorflow_serving/config/model_server_config.proto',
  'tensorflow.serving.MonitoringConfig': 'tensorflow_serving/config/monitoring_config.proto',
  'tensorflow.serving.BatchingParameters': 'tensorflow_serving/batching_parameters.proto',
} as const;
export type TopLevelMessage = keyof typeof topLevelMessages;
