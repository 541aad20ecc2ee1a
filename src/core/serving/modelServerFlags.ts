// Every flag today's tensorflow_model_server accepts, by name, as listed in the `flag_list` of
// tensorflow_serving/model_servers/main.cc (tensorflow/serving at 9d981c5, July 2026). The extension only
// passes flags from this list; removed ones (e.g. --use_tflite_model) are absent on purpose.
export const MODEL_SERVER_FLAGS = [
  'port',
  'grpc_socket_path',
  'rest_api_port',
  'rest_api_num_threads',
  'rest_api_timeout_in_ms',
  'rest_api_enable_cors_support',
  'enable_batching',
  'allow_version_labels_for_unavailable_models',
  'batching_parameters_file',
  'enable_per_model_batching_parameters',
  'model_config_file',
  'model_config_file_poll_wait_seconds',
  'model_name',
  'model_base_path',
  'num_load_threads',
  'num_unload_threads',
  'max_num_load_retries',
  'load_retry_interval_micros',
  'file_system_poll_wait_seconds',
  'flush_filesystem_caches',
  'tensorflow_session_parallelism',
  'tensorflow_session_config_file',
  'tensorflow_intra_op_parallelism',
  'tensorflow_inter_op_parallelism',
  'use_alts_credentials',
  'ssl_config_file',
  'platform_config_file',
  'per_process_gpu_memory_fraction',
  'saved_model_tags',
  'grpc_channel_arguments',
  'grpc_max_threads',
  'enable_model_warmup',
  'num_request_iterations_for_warmup',
  'version',
  'monitoring_config_file',
  'remove_unused_fields_from_bundle_metagraph',
  'prefer_tflite_model',
  'num_tflite_pools',
  'num_tflite_interpreters_per_pool',
  'enable_signature_method_name_check',
  'xla_cpu_compilation_enabled',
  'xla_gpu_compilation_enabled',
  'enable_profiler',
  'thread_pool_factory_config_file',
  'mixed_precision',
  'skip_initialize_tpu',
  'enable_grpc_healthcheck_service',
  'enable_serialization_as_tensor_content',
] as const;

export type ModelServerFlag = (typeof MODEL_SERVER_FLAGS)[number];

/** Boolean flags: TF's flag parser accepts them bare (`--enable_batching`) or as `=true|false`. */
export const BOOLEAN_MODEL_SERVER_FLAGS: readonly ModelServerFlag[] = [
  'rest_api_enable_cors_support', 'enable_batching', 'allow_version_labels_for_unavailable_models',
  'enable_per_model_batching_parameters', 'flush_filesystem_caches', 'use_alts_credentials', 'enable_model_warmup',
  'version', 'remove_unused_fields_from_bundle_metagraph', 'prefer_tflite_model', 'enable_signature_method_name_check',
  'xla_cpu_compilation_enabled', 'xla_gpu_compilation_enabled', 'enable_profiler', 'skip_initialize_tpu',
  'enable_grpc_healthcheck_service', 'enable_serialization_as_tensor_content',
];

/** Integer flags (int32/int64 in main.cc); everything else not boolean is a string or float. */
export const INTEGER_MODEL_SERVER_FLAGS: readonly ModelServerFlag[] = [
  'port', 'rest_api_port', 'rest_api_num_threads', 'rest_api_timeout_in_ms', 'model_config_file_poll_wait_seconds',
  'num_load_threads', 'num_unload_threads', 'max_num_load_retries', 'load_retry_interval_micros',
  'file_system_poll_wait_seconds', 'tensorflow_session_parallelism', 'tensorflow_intra_op_parallelism',
  'tensorflow_inter_op_parallelism', 'grpc_max_threads', 'num_request_iterations_for_warmup', 'num_tflite_pools',
  'num_tflite_interpreters_per_pool',
];

export function isModelServerFlag(name: string): name is ModelServerFlag {
  return (MODEL_SERVER_FLAGS as readonly string[]).includes(name);
}

/** `--name=value` (the only form TF's parser takes for non-boolean flags); throws on a flag the server would reject. */
export function modelServerArg(name: string, value: string | number | boolean): string {
  if (!isModelServerFlag(name)) throw new Error(`--${name} is not a tensorflow_model_server flag.`);
  return `--${name}=${String(value)}`;
}
