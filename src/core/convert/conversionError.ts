// A conversion failure the user can act on: what went wrong, and what to do about it.

export type ConversionErrorKind =
  | 'invalid-options'
  | 'invalid-samples'
  | 'not-a-savedmodel'
  | 'python-missing'
  | 'tensorflow-missing'
  | 'tensorflow-version'
  | 'unsupported-ops'
  | 'converter-failed'
  | 'runner-failed'
  | 'cancelled'
  | 'no-output'
  /** Validation: the two models could not be run side by side (another model's file, Flex ops, …). */
  | 'validation-failed';

export class ConversionError extends Error {
  constructor(
    readonly kind: ConversionErrorKind,
    message: string,
    readonly hint?: string,
    /** For unsupported-ops: the TensorFlow op names the converter named. */
    readonly ops: readonly string[] = [],
  ) {
    super(message);
  }
}
