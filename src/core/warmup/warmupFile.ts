// Where TF Serving looks for warmup requests and how many it reads (saved_model_warmup_util.h: WarmupConsts).

/** The warmup file, relative to the version folder: assets.extra/tf_serving_warmup_requests. */
export const WARMUP_FILE = 'assets.extra/tf_serving_warmup_requests';

/** kMaxNumRecords: TF Serving fails the load on the record after the 1,000th. */
export const MAX_WARMUP_RECORDS = 1000;
