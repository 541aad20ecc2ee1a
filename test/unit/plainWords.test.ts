import * as assert from 'assert';
import { parseLocation, LocationError } from '../../src/core/location';
import { maskUrlCredentials } from '../../src/core/maskCredentials';
import { errorText } from '../../src/core/errorText';
import { StoreError } from '../../src/core/storage/modelStore';
import { scanPublishSource } from '../../src/core/storage/publishSource';

describe('plain words for hostile input', () => {
  it('masks the user-info of URLs in store errors and error text', () => {
    assert.strictEqual(maskUrlCredentials('at http://KEY:SECRET@host:9000/x and https://u@h'), 'at http://***@host:9000/x and https://***@h');
    const e = new StoreError('Cannot list in s3://b: http://AKIA123:s3cr3t@127.0.0.1:9 is unreachable (ECONNREFUSED).', 'Check http://AKIA123:s3cr3t@127.0.0.1:9.');
    assert.doesNotMatch(errorText(e), /AKIA123|s3cr3t/);
    assert.match(errorText(e), /http:\/\/\*\*\*@127\.0\.0\.1:9 is unreachable/);
    assert.doesNotMatch(errorText(new Error('GET http://k:v@h failed')), /k:v/);
  });

  it('refuses a location with a line break or control character, saying which', () => {
    assert.throws(() => parseLocation('s3://bucket/mod\nels'), (e: Error) => e instanceof LocationError && /contains a line break/.test(e.message));
    assert.throws(() => parseLocation('/models/a\u0007b'), /control character \(code 7\)/);
  });

  it('says a device is not something to publish', async () => {
    await assert.rejects(scanPublishSource('/dev/zero'), (e: Error) => e instanceof StoreError && /\/dev\/zero: it is neither a folder nor a file/.test(e.message));
  });
});
