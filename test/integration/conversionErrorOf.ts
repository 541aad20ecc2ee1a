import * as assert from 'assert';
import { ConversionError } from '../../src/core/convert/conversionError';

/** The ConversionError a conversion fails with; any other outcome fails the test. */
export async function conversionError(p: Promise<unknown>): Promise<ConversionError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConversionError) return e;
    throw e;
  }
  assert.fail('expected a ConversionError');
}
