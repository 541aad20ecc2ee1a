// One error type for "this is not a model we can read", so callers (CLI, tree view) can show one line and move on.

export type ModelDecodeErrorKind =
  /** The folder or file does not exist. */
  | 'not-found'
  /** The folder holds neither saved_model.pb / saved_model.pbtxt nor model.tflite. */
  | 'no-model'
  /** The file exists but its bytes are not the format it claims (truncated, random, another message). */
  | 'corrupt'
  /** Readable, but uses something this decoder does not handle. */
  | 'unsupported';

export class ModelDecodeError extends Error {
  constructor(
    readonly kind: ModelDecodeErrorKind,
    message: string,
  ) {
    // Always one line: callers print it verbatim.
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'ModelDecodeError';
  }
}

/** Wraps whatever a decoder threw (including RangeError from hostile input) as a one-line ModelDecodeError. */
export function asModelDecodeError(e: unknown, fileLabel: string, format: string): ModelDecodeError {
  if (e instanceof ModelDecodeError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new ModelDecodeError('corrupt', `${fileLabel} is not a valid ${format}: ${detail}`);
}
