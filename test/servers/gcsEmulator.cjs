// Local GCS for tests and benchmarks: firebase-tools' Cloud Storage emulator, in-process and without its Java
// rules runtime (which needs Java 21 and a download). The GCS JSON API (/storage/v1, /upload/storage/v1) goes
// through the emulator's admin layer, which never consults rules. Buckets are created on first write.
// usage: node gcsEmulator.cjs <port>   Prints one line `GCS_READY http://127.0.0.1:<port>` when listening.
const port = Number(process.argv[2]);
const { StorageEmulator } = require('firebase-tools/lib/emulator/storage');
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry');

// The emulator serves the copy/rewrite route only as /b/…/rewriteTo/…, while the SDK (like GCS itself) calls
// /storage/v1/b/…/rewriteTo/…; other routes have both forms. Alias the missing form; the emulator does the copy.
const gcloudApi = require('firebase-tools/lib/emulator/storage/apis/gcloud');
const createCloudEndpoints = gcloudApi.createCloudEndpoints;
gcloudApi.createCloudEndpoints = (emu) => {
  const inner = createCloudEndpoints(emu);
  return (req, res, next) => {
    req.url = req.url.replace(/^\/storage\/v1(\/b\/[^/]+\/o\/[^/]+\/(?:rewriteTo|copyTo)\/)/, '$1');
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
