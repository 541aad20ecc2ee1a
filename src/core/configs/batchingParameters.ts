// Writes the BatchingParameters text proto passed as --batching_parameters_file. The scalar knobs are
// google.protobuf wrappers in the proto, hence `max_batch_size { value: 32 }`.

export interface BatchingParameters {
  readonly maxBatchSize: number;
  readonly batchTimeoutMicros: number;
  readonly maxEnqueuedBatches: number;
  readonly numBatchThreads: number;
  /** Batch sizes to pad up to; the last must equal maxBatchSize (TF Serving refuses the file otherwise). */
  readonly allowedBatchSizes?: readonly number[];
  readonly padVariableLengthInputs?: boolean;
}

// TF Serving's batching guide suggests starting from small timeouts and a thread per core.
export const DEFAULT_BATCHING_PARAMETERS: BatchingParameters = {
  maxBatchSize: 32,
  batchTimeoutMicros: 1000,
  maxEnqueuedBatches: 100,
  numBatchThreads: 4,
};

export function batchingParametersText(p: BatchingParameters): string {
  const positive = (name: string, v: number, min = 1) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`Batching: ${name} must be an integer ≥ ${min} (got ${v}).`);
    return v;
  };
  const lines = [
    `max_batch_size { value: ${positive('max batch size', p.maxBatchSize)} }`,
    `batch_timeout_micros { value: ${positive('batch timeout', p.batchTimeoutMicros, 0)} }`,
    `max_enqueued_batches { value: ${positive('max enqueued batches', p.maxEnqueuedBatches)} }`,
    `num_batch_threads { value: ${positive('batch threads', p.numBatchThreads)} }`,
  ];
  const sizes = p.allowedBatchSizes ?? [];
  if (sizes.length) {
    sizes.forEach((s, i) => {
      positive('allowed batch size', s);
      if (i > 0 && s <= sizes[i - 1]) throw new Error('Batching: allowed batch sizes must increase.');
    });
    if (sizes[sizes.length - 1] !== p.maxBatchSize) throw new Error('Batching: the last allowed batch size must equal the max batch size.');
    for (const s of sizes) lines.push(`allowed_batch_sizes: ${s}`);
  }
  if (p.padVariableLengthInputs) lines.push('pad_variable_length_inputs: true');
  return lines.join('\n') + '\n';
}
