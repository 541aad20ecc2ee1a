// Bundles the extension and the CLI with esbuild. `vscode` stays external (the host provides it).
// Heavy SDKs (Docker, AWS, Google Cloud, and the YAML and JSON-schema libraries behind manifests and validation) go
// into their own files under dist/sdk/, loaded by require() on first use, and the JSON schemas under schemas/ are
// read from disk when first needed: activation parses only our code (bench/activation.bench.ts), and a user who never
// opens a bucket never loads the AWS SDK.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});

/** SDK group → the packages in it (only those the project depends on). */
const groups = Object.fromEntries(
  Object.entries({
    docker: (d) => d === 'dockerode',
    aws: (d) => d.startsWith('@aws-sdk/'),
    gcs: (d) => d.startsWith('@google-cloud/'),
    yaml: (d) => d === 'yaml',
    ajv: (d) => d === 'ajv',
    protobuf: (d) => d === 'protobufjs',
    grpc: (d) => d.startsWith('@grpc/'),
    hdr: (d) => d === 'hdr-histogram-js', // the load test's latency histograms
  }).map(([g, match]) => [g, deps.filter(match)]).filter(([, list]) => list.length > 0),
);
const groupOf = new Map(Object.entries(groups).flatMap(([g, list]) => list.map((p) => [p, g])));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22', // engines.node
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Optional native speed-ups of ssh2 (pulled in by dockerode): their require() sits in try/catch, so leaving
  // them out of the bundle makes ssh2 use its JavaScript fallback.
  external: ['cpu-features', '*.node'],
};

/** In our bundles, `import('dockerode')` becomes `require('./sdk/docker.js')['dockerode']`, evaluated on first use. */
const lazySdks = {
  name: 'lazy-sdks',
  setup(build) {
    build.onResolve({ filter: /^[@a-z]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (!groupOf.has(name) || args.path !== name) return undefined;
      return { path: name, namespace: 'lazy-sdk' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-sdk' }, (args) => ({
      contents: `module.exports = require('./sdk/${groupOf.get(args.path)}.js')[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/sdk\// }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * One view of the `vscode` module for the whole bundle. Left alone, esbuild gives each of our ~40 files that import
 * it its own `__toESM(require('vscode'))`, copying every one of the API's ~200 names each time, at activation.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** `import schema from '…/schemas/x.json'` becomes `require('../schemas/x.json')` from dist/: JSON.parse on first use. */
const schemasFromDisk = {
  name: 'schemas-from-disk',
  setup(build) {
    build.onResolve({ filter: /\/schemas\/.*\.json$/ }, (args) => {
      const rel = relative(resolve('schemas'), resolve(args.resolveDir, args.path));
      if (rel.startsWith('..')) return undefined;
      return { path: `../schemas/${rel.split(sep).join('/')}`, external: true };
    });
  },
};

mkdirSync('.tmp/sdk-entries', { recursive: true });
const sdkEntries = Object.entries(groups).map(([group, list]) => {
  const entry = `.tmp/sdk-entries/${group}.js`;
  // Getters keep each package's own initialisation lazy inside its group too.
  writeFileSync(entry, `module.exports = {\n${list.map((p) => `  get ${JSON.stringify(p)}() { return require(${JSON.stringify(p)}); },`).join('\n')}\n};\n`);
  return { ...common, entryPoints: [entry], outfile: `dist/sdk/${group}.js` };
});

const targets = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'], plugins: [vscodeOnce, lazySdks, schemasFromDisk] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazySdks, schemasFromDisk] },
  ...sdkEntries,
  // yaml-language-server for the editor when Red Hat YAML is not installed (src/vscode/language/embeddedYamlServer.ts);
  // ESM builds first: the UMD build of vscode-json-languageservice hides its requires from the bundler.
  // Also the editor's heavy language services (yaml, ajv, schemas, languageclient), required on first use only.
  { ...common, entryPoints: [{ in: 'node_modules/yaml-language-server/out/server/src/server.js', out: 'yamlServer' }, { in: 'src/vscode/language/languageServices.ts', out: 'languageServices' }],
    outdir: 'dist', external: [...common.external, 'vscode'], mainFields: ['module', 'main'], alias: { 'vscode-json-languageservice/lib/umd': 'vscode-json-languageservice/lib/esm' },
    // Its message bundles (the server reads them from disk at start) go to dist/yaml-l10n/.
    plugins: [{ name: 'yaml-l10n', setup: (b) => b.onEnd(() => {
      const from = 'node_modules/yaml-language-server/l10n';
      mkdirSync('dist/yaml-l10n', { recursive: true });
      for (const f of readdirSync(from)) copyFileSync(`${from}/${f}`, `dist/yaml-l10n/${f}`);
    }) }] },
  // The metrics panel's page: uPlot bundled in (no CDN), run in the webview's browser; its CSS copied beside it.
  { entryPoints: ['media/metrics/main.ts'], outfile: 'dist/webview/metrics.js', bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: production, logLevel: 'warning' },
  // The Load Test panel's page, the same way.
  { entryPoints: ['media/loadtest/main.ts'], outfile: 'dist/webview/loadtest.js', bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: production, logLevel: 'warning' },
];
mkdirSync('dist/webview', { recursive: true });
copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.min.css');
if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/cli.js', 0o755);
}
