// One cold activation, in a fresh process: `node probe.js <extension main>` loads the module with `vscode` resolved to
// the shim, calls activate() with a stand-in context and prints JSON: the milliseconds to load and to activate (wall
// clock, and CPU time, which waits for a busy machine's cores do not inflate), and
// which of our bundle files were loaded by then (the heavy SDKs and language services must not be).
import * as path from 'path';
import { performance } from 'perf_hooks';

const main = path.resolve(process.argv[2]);
const shim = path.join(__dirname, 'vscodeShim.js');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module') as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? shim : resolve.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const vscode = require(shim) as { Uri: { file(p: string): unknown } };

const root = path.resolve(path.dirname(main), '..');
const memento = { get: <T>(_k: string, fallback?: T) => fallback, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined };
const context = {
  subscriptions: [] as { dispose(): unknown }[],
  extensionPath: root,
  extensionUri: vscode.Uri.file(root),
  asAbsolutePath: (p: string) => path.join(root, p),
  globalState: memento,
  workspaceState: memento,
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() { /* none */ } }) },
  storageUri: undefined,
  globalStorageUri: vscode.Uri.file(path.join(root, '.tmp', 'bench-global-storage')),
  logUri: vscode.Uri.file(path.join(root, '.tmp', 'bench-logs')),
  extensionMode: 1,
  extension: { id: 'bench.extension', extensionPath: root, packageJSON: {} },
  environmentVariableCollection: { replace() { /* none */ }, append() { /* none */ }, prepend() { /* none */ }, clear() { /* none */ } },
};

const c0 = process.cpuUsage();
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ext = require(main) as { activate(c: typeof context): unknown };
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
const cpu = process.cpuUsage(c0);
const loaded = Object.keys(require.cache).filter((f) => f.startsWith(path.dirname(main) + path.sep)).map((f) => path.relative(path.dirname(main), f));
for (const d of context.subscriptions) try { d.dispose(); } catch { /* the shim's stand-ins */ }
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, loaded, node: process.version }) + '\n');
process.exit(0);
