// TF Serving's metric names as its PrometheusExporter writes them: the monitoring name with every character outside
// [a-zA-Z0-9_] turned into ':' (tensorflow_serving/util/prometheus_exporter.cc). Labels as registered in
// servables/tensorflow/util.cc, batching/batching_session.cc, cc/saved_model/loader.cc and TF's batch_resource_base.cc.

/** Counter{model_name, status}: status is the canonical error code name, "OK" for a success. */
export const REQUEST_COUNT = ':tensorflow:serving:request_count';
/** Histogram{model_name, API, entrypoint[, status]} in microseconds; `status` only in recent releases. */
export const REQUEST_LATENCY = ':tensorflow:serving:request_latency';
/** Histogram{model_name, API, runtime} in microseconds: time inside the TensorFlow runtime only. */
export const RUNTIME_LATENCY = ':tensorflow:serving:runtime_latency';
/** Counter{model}: tf.Examples received (Classify/Regress/MultiInference). */
export const REQUEST_EXAMPLE_COUNT_TOTAL = ':tensorflow:serving:request_example_count_total';
/** Counter{model_path}: microseconds spent in successful SavedModel loads of that path. */
export const LOAD_LATENCY = ':tensorflow:cc:saved_model:load_latency';
/** Counter{model_path, status}: status "success" or "fail". */
export const LOAD_ATTEMPT_COUNT = ':tensorflow:cc:saved_model:load_attempt_count';
/** Histogram{model_path, stage} in microseconds. */
export const LOAD_LATENCY_BY_STAGE = ':tensorflow:cc:saved_model:load_latency_by_stage';
/** Server-side batching (--enable_batching): histogram{thread_pool_name} of queueing time in microseconds. */
export const BATCHING_SESSION_QUEUING_LATENCY = ':tensorflow:serving:batching_session:queuing_latency';
/** Server-side batching: counter (no labels) of batched Run calls on the wrapped session, i.e. batches run. */
export const BATCHING_SESSION_WRAPPED_RUN_COUNT = ':tensorflow:serving:batching_session:wrapped_run_count';
/** In-graph batching (BatchFunction ops): histogram{model_name, op_name} of batch sizes after batching. */
export const BATCHING_BATCH_SIZE = ':tensorflow:serving:batching:batch_size';
/** In-graph batching: histogram{model_name, op_name, processed_batch_size} of batching delay in microseconds. */
export const BATCHING_BATCH_DELAY_US = ':tensorflow:serving:batching:batch_delay_us_v2';

/** TF Serving's request_latency and runtime_latency buckets: Exponential(10, 1.8, 33) microseconds. */
export const LATENCY_BUCKET_LIMITS_US: readonly number[] = Array.from({ length: 32 }, (_, i) => 10 * Math.pow(1.8, i));

/** `/models/hpt/00000124` → model "hpt", version "124" (TF Serving's layout: base path / version folder). */
export function modelPathParts(modelPath: string): { model?: string; version?: string } {
  const parts = modelPath.replace(/\/+$/, '').split('/');
  const last = parts[parts.length - 1] ?? '';
  if (!/^\d+$/.test(last) || parts.length < 2) return {};
  return { model: parts[parts.length - 2] || undefined, version: String(Number(last)) };
}
