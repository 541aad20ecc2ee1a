// Local S3 server for tests and benchmarks: fauxqs bound to 127.0.0.1, with a SigV4 check in front because fauxqs
// itself accepts any credentials (and the tests must see wrong secrets and unknown keys fail like on AWS).
// usage: node s3Server.mjs <port|0>   env S3_VERIFY=ACCESSKEY:SECRET turns the check on.
// Prints one line `S3_READY http://127.0.0.1:<port>` when listening.
import crypto from 'node:crypto';
import { buildApp } from 'fauxqs';
import { SignatureV4 } from '@smithy/signature-v4';

const app = buildApp({ logger: false });

class HmacOrHash {
  constructor(secret) { this.h = secret ? crypto.createHmac('sha256', secret) : crypto.createHash('sha256'); }
  update(data) { this.h.update(typeof data === 'string' ? Buffer.from(data) : data); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

function s3Error(reply, code, message) {
  return reply.code(403).header('content-type', 'application/xml')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

const verify = process.env.S3_VERIFY;
if (verify) {
  const sep = verify.indexOf(':');
  const accessKeyId = verify.slice(0, sep);
  const secretAccessKey = verify.slice(sep + 1);
  const unknownKey = 'The AWS Access Key Id you provided does not exist in our records.';
  app.addHook('onRequest', async (req, reply) => {
    const url = new URL(req.raw.url, 'http://localhost');
    const auth = req.headers.authorization;
    if (!auth) {
      const credential = url.searchParams.get('X-Amz-Credential');
      if (!credential) return s3Error(reply, 'AccessDenied', 'Anonymous access is not allowed');
      if (credential.split('/')[0] !== accessKeyId) return s3Error(reply, 'InvalidAccessKeyId', unknownKey);
      return; // presigned URL: only the key id is checked
    }
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return s3Error(reply, 'AccessDenied', 'Malformed Authorization header');
    const [, akid, , region, service, signedHeaders, signature] = m;
    if (akid !== accessKeyId) return s3Error(reply, 'InvalidAccessKeyId', unknownKey);
    const headers = {};
    for (const h of signedHeaders.split(';')) headers[h] = String(req.headers[h] ?? '');
    const query = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;
    const d = String(req.headers['x-amz-date'] ?? '');
    const signingDate = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
    const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: HmacOrHash, uriEscapePath: false, applyChecksum: false });
    const signed = await signer.sign({ method: req.method, protocol: 'http:', hostname: 'localhost', path: url.pathname, query, headers }, { signingDate });
    const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization)?.[1];
    if (expected !== signature) {
      return s3Error(reply, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
  });
}

const address = await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
console.log(`S3_READY ${address}`);
const stop = () => app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
