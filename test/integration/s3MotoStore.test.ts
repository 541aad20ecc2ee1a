// S3ModelStore against moto's S3 server (.venv-moto/), the second S3 implementation: it honours If-None-Match: * on
// PutObject and CompleteMultipartUpload and lists unfinished multipart uploads, which fauxqs does not. The whole
// bucket-store suite runs here too, plus the publish races.
import * as assert from 'assert';
import { childLocation } from '../../src/core/location';
import { startMotoServer } from '../servers/testServers';
import { fixtureSavedModel } from './s3GcsStoreSuite';
import { useS3Store } from './s3StoreFixture';

describe('S3ModelStore against moto (conditional writes)', function () {
  this.timeout(60_000);
  const s3 = useS3Store(startMotoServer, 'tfss-moto', true);

  it('the claim is a create-only write the server refuses the second time; no fallback note', async () => {
    const { store, repo } = s3();
    const ops = store.objectOps(repo);
    assert.strictEqual(await ops.putIfAbsent('repo/claim-probe/x.json', '{}'), 'created');
    assert.strictEqual(await ops.putIfAbsent('repo/claim-probe/x.json', '{}'), 'exists');
    const result = await store.publish(fixtureSavedModel, childLocation(repo, 'no-fallback'), 1);
    assert.deepStrictEqual(result.notes, []);
  });
});
