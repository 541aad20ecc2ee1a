// The part-signing choice of hidden S3 uploads: payload hash skipped over HTTPS only.
import * as assert from 'assert';
import { unsignedPayloadOverHttps } from '../../src/core/storage/s3DeferredUpload';

describe('s3DeferredUpload: payload signing', () => {
  const headersSent = async (protocol: string, headers: Record<string, string> = {}) => {
    let seen: Record<string, string> = {};
    await unsignedPayloadOverHttps(async (args: { request: { protocol: string; headers: Record<string, string> } }) => { seen = { ...args.request.headers }; return {}; })({ request: { protocol, headers } });
    return seen;
  };

  it('marks parts UNSIGNED-PAYLOAD over HTTPS, where TLS protects the bytes', async () => {
    assert.strictEqual((await headersSent('https:'))['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
  });

  it('leaves the payload hash to the signer over plain HTTP, where it is the only protection of the bytes', async () => {
    assert.strictEqual((await headersSent('http:'))['x-amz-content-sha256'], undefined);
  });
});
