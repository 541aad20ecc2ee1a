// Local GCS for tests and benchmarks: firebase-tools' Cloud Storage emulator, in-process and without its Java
// rules runtime (which needs Java 21 and a download). The GCS JSON API (/storage/v1, /upload/storage/v1) goes
// through the emulator's admin layer, which never consults rules. Buckets are created on first write.
// usage: node gcsEmulator.cjs <port>   Prints one line `GCS_READY http://127.0.0.1:<port>` when listening.
const port = Number(process.argv[2]);
// The emulator keeps blobs under os.tmpdir()/firebase/storage and deletes that folder when it stops, so two emulators
// on one machine (parallel test runs, the demo) broke each other's uploads: each gets its own temporary folder.
const fs = require('fs');
const os = require('os');
const path = require('path');
const ownTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfss-gcs-emulator-'));
process.env.TMPDIR = ownTmp;
process.on('exit', () => fs.rmSync(ownTmp, { recursive: true, force: true }));
// Node's servers drop an idle keep-alive connection after 5 s; a client that reuses it at that moment gets
// ECONNRESET (seen as a failed 100 MiB publish in the kill harness at load 15). GCS keeps idle connections far longer.
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  this.keepAliveTimeout = 120_000;
  this.headersTimeout = 121_000;
  return listen.apply(this, args);
};
const { StorageEmulator } = require('firebase-tools/lib/emulator/storage');
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry');

// The emulator serves the copy/rewrite route only as /b/…/rewriteTo/…, while the SDK (like GCS itself) calls
// /storage/v1/b/…/rewriteTo/…; other routes have both forms. Alias the missing form; the emulator does the copy.
// The emulator also ignores every precondition (firebase-tools has no ifGenerationMatch code at all). GCS's
// create-only upload — `ifGenerationMatch=0` on a simple upload, which is how a publish claims a version — is honoured
// here in front of it: refused with 412 while the object exists or another create of it is in flight.
const gcloudApi = require('firebase-tools/lib/emulator/storage/apis/gcloud');
const createCloudEndpoints = gcloudApi.createCloudEndpoints;
const creating = new Set();
gcloudApi.createCloudEndpoints = (emu) => {
  const inner = createCloudEndpoints(emu);
  return (req, res, next) => {
    req.url = req.url.replace(/^\/storage\/v1(\/b\/[^/]+\/o\/[^/]+\/(?:rewriteTo|copyTo)\/)/, '$1');
    const url = new URL(req.url, 'http://localhost');
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (req.method === 'POST' && upload && url.searchParams.get('ifGenerationMatch') === '0' && url.searchParams.get('name')) {
      const bucket = decodeURIComponent(upload[1]);
      const name = url.searchParams.get('name');
      const key = `${bucket}/${name}`;
      if (creating.has(key) || emu.adminStorageLayer.getMetadata(bucket, name)) {
        res.status(412).json({ error: { code: 412, message: 'At least one of the pre-conditions you specified did not hold.', errors: [{ reason: 'conditionNotMet', message: 'Precondition Failed' }] } });
        return undefined;
      }
      creating.add(key);
      res.on('close', () => creating.delete(key));
    }
    return inner(req, res, next);
  };
};

const emulator = new StorageEmulator({ projectId: 'demo-tfserving-studio', host: '127.0.0.1', port, auto_download: false, rules: [] });
emulator._rulesRuntime.start = async () => {};
emulator._rulesRuntime.stop = async () => {};
emulator._rulesManager = { start: async () => {}, stop: async () => {}, getRuleset: () => undefined };

EmulatorRegistry.start(emulator).then(
  () => console.log(`GCS_READY http://127.0.0.1:${port}`),
  (e) => { console.error(`GCS emulator failed to start: ${e && e.message}`); process.exit(1); },
);
const stop = () => EmulatorRegistry.stop(emulator.getName ? emulator.getName() : 'storage').catch(() => {}).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
