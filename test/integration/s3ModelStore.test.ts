// S3ModelStore against the project's local S3 server (fauxqs behind a SigV4 check), through the real AWS SDK.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { S3Client, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseLocation } from '../../src/core/location';
import { S3ModelStore, type S3RepositoryOptions } from '../../src/core/storage/s3ModelStore';
import { StoreError } from '../../src/core/storage/modelStore';
import { mapS3Error } from '../../src/core/storage/s3Errors';
import { openStore } from '../../src/core/storage/storeRegistry';
import { freePort, startS3Server, type S3TestServer } from '../servers/testServers';
import { fixtureSavedModel, tempDir } from './s3GcsStoreSuite';
import { useS3Store } from './s3StoreFixture';
import { childLocation } from '../../src/core/location';

describe('S3ModelStore against a real S3 server', function () {
  this.timeout(60_000);
  // fauxqs ignores If-None-Match on writes: the races are run on moto (s3MotoStore.test.ts); here the links and the
  // fallback note.
  const s3 = useS3Store(startS3Server, 'tfss-models', false);
  let server: S3TestServer;
  let raw: S3Client;
  let store: S3ModelStore;
  let options: () => S3RepositoryOptions;
  const bucket = 'tfss-models';
  const repo = parseLocation(`s3://${bucket}/repo`);
  before(() => ({ server, raw, store, options } = s3()));

  it('on a server that ignores create-only writes, publish says the claim was only read back', async () => {
    const result = await store.publish(fixtureSavedModel, childLocation(repo, 'fallback'), 1);
    assert.ok(result.notes?.some((n) => /ignores create-only writes .* checked by reading it back/.test(n)), JSON.stringify(result.notes));
  });

  it('is what the store registry opens for s3:// with the repository options', async () => {
    const opened = await openStore(repo, options());
    assert.ok(opened instanceof S3ModelStore);
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key: 'repo/registry-model/1/saved_model.pb', Body: 'x' }));
    const page = await opened.listChildren(repo, { prefix: 'registry' });
    assert.deepStrictEqual(page.items.map((i) => i.name), ['registry-model']);
  });

  it('uploads a file larger than 11 MiB in 8 MiB parts (the server refuses single PUTs that big)', async function () {
    this.timeout(120_000);
    const dir = await tempDir('tfss-big-');
    const file = path.join(dir, 'big.bin');
    await fs.writeFile(file, Buffer.alloc(20 * 1024 * 1024, 7));
    let seen = 0;
    await store.uploadFile(repo, file, 'repo/big/big.bin', (d) => { seen += d; });
    assert.strictEqual(seen, 20 * 1024 * 1024);
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'repo/big/' }));
    assert.strictEqual(listed.Contents?.[0]?.Size, 20 * 1024 * 1024);
  });

  it('polling cost bytes match what the server sent: body (Content-Length) plus status line and headers', async () => {
    const model = parseLocation(`s3://${bucket}/repo/polled`); // seeded with 300 versions by the shared suite
    const measured = await store.measureLevelListing(model);
    // The same three pages through a plain client, reading the Content-Length of each response.
    let bodyBytes = 0;
    let pages = 0;
    let token: string | undefined;
    do {
      const cmd = new ListObjectsV2Command({ Bucket: bucket, Prefix: 'repo/polled/', Delimiter: '/', MaxKeys: 100, ContinuationToken: token });
      cmd.middlewareStack.add((next) => async (args) => {
        const out = await next(args);
        bodyBytes += Number((out.response as { headers: Record<string, string> }).headers['content-length']);
        return out;
      }, { step: 'deserialize', name: 'contentLength', priority: 'low' });
      const page = await raw.send(cmd);
      pages++;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    assert.strictEqual(measured.requests, pages);
    assert.ok(measured.responseBytes > bodyBytes, `${measured.responseBytes} vs body ${bodyBytes}`);
    assert.ok(measured.responseBytes < bodyBytes + pages * 1024, `${measured.responseBytes} vs body ${bodyBytes}: headers are well under 1 KB a response`);
  });

  describe('errors users hit', () => {
    const secretLeak = (e: StoreError, secret: string) => !`${e.message} ${e.hint}`.includes(secret);

    it('wrong secret: one message naming the repository, without the secret', async () => {
      const wrong = 'wrong-secret-value-123456';
      const s = new S3ModelStore({ ...options(), credentials: { accessKeyId: server.accessKeyId, secretAccessKey: wrong } });
      await assert.rejects(s.listChildren(repo), (e: StoreError) => e instanceof StoreError && e.code === 'SignatureDoesNotMatch'
        && e.message.includes('s3://tfss-models/repo') && /secret access key is wrong/.test(e.message) && !!e.hint && secretLeak(e, wrong) && secretLeak(e, server.secretAccessKey));
    });

    it('unknown access key id', async () => {
      const s = new S3ModelStore({ ...options(), credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: server.secretAccessKey } });
      await assert.rejects(s.listChildren(repo), (e: StoreError) => e.code === 'InvalidAccessKeyId' && /does not know this access key id/.test(e.message) && e.message.includes('s3://tfss-models/repo'));
    });

    it('missing bucket', async () => {
      await assert.rejects(store.listChildren(parseLocation('s3://tfss-no-such-bucket/models')),
        (e: StoreError) => e.code === 'NoSuchBucket' && /bucket "tfss-no-such-bucket" does not exist/.test(e.message) && e.message.includes('s3://tfss-no-such-bucket/models'));
    });

    it('no permission (the server answers AccessDenied to an unsigned request)', async () => {
      const anonymous = new S3Client({ region: server.region, endpoint: server.endpoint, forcePathStyle: true, signer: { sign: async (r: unknown) => r } as never, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      const e = await anonymous.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'repo/', Delimiter: '/' })).then(() => undefined, (x: unknown) => x);
      anonymous.destroy();
      assert.ok(e, 'the unsigned request must fail');
      const mapped = mapS3Error(e, { repository: 's3://tfss-models/repo', bucket, action: 'list', secrets: [] });
      assert.strictEqual(mapped.code, 'AccessDenied');
      assert.match(mapped.message, /s3:\/\/tfss-models\/repo: access denied/);
      assert.match(mapped.hint ?? '', /s3:ListBucket/);
    });

    it('unreachable endpoint fails within seconds', async () => {
      const port = await freePort();
      const s = new S3ModelStore({ ...options(), endpoint: `http://127.0.0.1:${port}` });
      const t0 = Date.now();
      await assert.rejects(s.listChildren(repo), (e: StoreError) => e.code === 'Unreachable' && e.message.includes(`http://127.0.0.1:${port} is unreachable (ECONNREFUSED)`));
      assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
    });

    describe('credential chain (shared config files, SSO)', () => {
      const saved: Record<string, string | undefined> = {};
      const vars = ['HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
      let home: string;
      before(async () => {
        for (const v of vars) saved[v] = process.env[v];
        home = await tempDir('tfss-home-');
        await fs.mkdir(path.join(home, '.aws/sso/cache'), { recursive: true });
        const config = [
          '[profile tfss-keys]', 'region = us-east-1',
          '[profile tfss-sso]', 'sso_session = tfss', 'sso_account_id = 111122223333', 'sso_role_name = ModelPublisher', 'region = us-east-1',
          '[sso-session tfss]', 'sso_start_url = https://tfss-example.awsapps.com/start', 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access',
        ].join('\n');
        // credential_process: a program that prints the keys as JSON (how many SSO wrappers and vaults plug in)
        const helper = path.join(home, 'credential-helper.js');
        await fs.writeFile(helper, `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(server.accessKeyId)}, SecretAccessKey: ${JSON.stringify(server.secretAccessKey)} }));\n`);
        const processProfile = ['[profile tfss-process]', `credential_process = "${process.execPath}" "${helper}"`, 'region = us-east-1'].join('\n');
        await fs.writeFile(path.join(home, '.aws/config'), config + '\n' + processProfile + '\n');
        await fs.writeFile(path.join(home, '.aws/credentials'), `[tfss-keys]\naws_access_key_id = ${server.accessKeyId}\naws_secret_access_key = ${server.secretAccessKey}\n`);
        // An SSO token that expired an hour ago, as `aws sso login` leaves it behind.
        const { createHash } = await import('crypto');
        const cacheName = createHash('sha1').update('tfss').digest('hex') + '.json';
        await fs.writeFile(path.join(home, '.aws/sso/cache', cacheName), JSON.stringify({
          startUrl: 'https://tfss-example.awsapps.com/start', region: 'us-east-1', accessToken: 'expired-token',
          expiresAt: new Date(Date.now() - 3600_000).toISOString(),
        }));
        process.env.HOME = home;
        process.env.AWS_CONFIG_FILE = path.join(home, '.aws/config');
        process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, '.aws/credentials');
        process.env.AWS_EC2_METADATA_DISABLED = 'true'; // never probe 169.254.169.254 from tests
        for (const v of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[v];
      });
      after(() => {
        for (const v of vars) { if (saved[v] === undefined) delete process.env[v]; else process.env[v] = saved[v]; }
      });

      it('a profile with keys in the shared credentials file works', async () => {
        const s = new S3ModelStore({ endpoint: server.endpoint, forcePathStyle: true, profile: 'tfss-keys' });
        const page = await s.listChildren(repo, { prefix: 'half_plus' });
        assert.deepStrictEqual(page.items.map((i) => i.name), ['half_plus_two']);
      });

      it('a profile with credential_process works', async () => {
        const s = new S3ModelStore({ endpoint: server.endpoint, forcePathStyle: true, profile: 'tfss-process' });
        const page = await s.listChildren(repo, { prefix: 'half_plus' });
        assert.deepStrictEqual(page.items.map((i) => i.name), ['half_plus_two']);
      });

      it('an expired SSO session says to run aws sso login for that profile', async () => {
        const s = new S3ModelStore({ endpoint: server.endpoint, forcePathStyle: true, profile: 'tfss-sso' });
        await assert.rejects(s.listChildren(repo), (e: StoreError) => e.code === 'SsoExpired' && /aws sso login --profile tfss-sso/.test(e.hint ?? '') && e.message.includes('s3://tfss-models/repo'));
      });

      it('no credentials anywhere', async () => {
        const s = new S3ModelStore({ endpoint: server.endpoint, forcePathStyle: true, env: {} });
        await assert.rejects(s.listChildren(repo), (e: StoreError) => ['NoCredentials', 'ProfileInvalid'].includes(e.code ?? '') && e.message.includes('s3://tfss-models/repo'));
      });
    });
  });
});
