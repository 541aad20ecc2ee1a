#!/usr/bin/env node
// npm run test:vsix — installs the packaged tfserving-studio.vsix (built by `npm run package`) into a
// fresh code-server extensions folder, checks what it contains, and runs test/harness/vsix-smoke inside
// that code-server: the installed extension (not the repository) must be found, activate, register its
// commands and open its views.
'use strict';
const fs = require('fs');
const path = require('path');
const { REPO, freshProfile, installExtension } = require('./codeServer');
const { createTestWorkspace } = require('./testWorkspace');
const { runTestsInCodeServer } = require('./vscodeInCodeServer');

const ID = 'tfserving-studio.tfserving-studio';
// Nothing from development may ship in the package (.vscodeignore keeps these out).
const FORBIDDEN = [/^src\//, /^test\//, /^out\//, /^node_modules\//, /^\.vscode-test/, /^\.demo\//, /^\.tmp\//, /^\.venv/,
  /^scripts\//, /^bench\//, /^test-results\//, /\.map$/, /\.ts$/, /\.vsix$/, /^package-lock\.json$/, /^tsconfig/];

function listFiles(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** Files the manifest and README point at (entry point, icons, walkthrough media, README images). */
function referencedFiles(manifest, readme) {
  // protos/: read from disk at run time by src/core/protos/tfServingProtos.ts (warmup files, gRPC).
  const refs = new Set([manifest.main.replace(/^\.\//, ''), 'protos/tensorflow_serving/apis/predict.proto', 'protos/LICENSE']);
  const add = (p) => { if (typeof p === 'string' && !p.includes('$(')) refs.add(p.replace(/^\.\//, '')); };
  const contributes = manifest.contributes || {};
  for (const c of contributes.viewsContainers?.activitybar || []) add(c.icon);
  for (const views of Object.values(contributes.views || {})) for (const v of views) add(v.icon);
  for (const w of contributes.walkthroughs || []) {
    for (const s of w.steps || []) { add(s.media?.markdown); add(s.media?.image); add(s.media?.svg); }
  }
  // Relative image links stay relative in the package (--no-rewrite-relative-links), so they must ship.
  for (const m of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc="([^"]+)"/g)) {
    const link = m[1] || m[2];
    if (!/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#')) add(decodeURI(link.split('#')[0]));
  }
  return [...refs];
}

function checkInstalledFiles(extensionDir, manifest) {
  const files = listFiles(extensionDir);
  const readmeFile = files.find((f) => /^readme\.md$/i.test(f));
  const readme = readmeFile ? fs.readFileSync(path.join(extensionDir, readmeFile), 'utf8') : '';
  const problems = [];
  for (const f of files) if (FORBIDDEN.some((re) => re.test(f))) problems.push(`packaged but must not be: ${f}`);
  for (const f of referencedFiles(manifest, readme)) if (!files.includes(f)) problems.push(`referenced by package.json or README.md but not packaged: ${f}`);
  return { files, problems };
}

(async () => {
  const vsix = path.resolve(process.argv[2] || path.join(REPO, 'tfserving-studio.vsix'));
  if (!fs.existsSync(vsix)) { console.error(`${vsix} not found: run npm run package first`); process.exit(2); }
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const profile = freshProfile('tfs-vsix-');
  let passed = 0; let failed = 0;
  const check = (ok, what) => { ok ? passed++ : failed++; console.log(`  ${ok ? '✔' : '✘'} ${what}`); return ok; };

  const out = installExtension(vsix, profile);
  console.log(`[test:vsix] ${out.trim().split('\n').pop()}`);
  const installed = fs.readdirSync(profile.extensionsDir).filter((d) => d.toLowerCase().startsWith(`${ID}-`));
  if (check(installed.length === 1, `code-server installed ${ID} into a fresh extensions folder`)) {
    const dir = path.join(profile.extensionsDir, installed[0]);
    const { files, problems } = checkInstalledFiles(dir, manifest);
    problems.forEach((p) => console.log(`      ${p}`));
    check(problems.length === 0, `the package holds only run-time files (${files.length} files)`);
  }
  const ws = createTestWorkspace({ prefix: 'tfs-vsix-ws-' });
  const smoke = path.join(__dirname, 'vsix-smoke');
  const result = await runTestsInCodeServer({
    extensionDevelopmentPaths: [smoke], // carries the suite only; the extension under test is the installed one
    extensionTestsPath: path.join(smoke, 'index.js'),
    extensionsDir: profile.extensionsDir,
    folder: ws.workspace,
    env: { TFS_VSIX_EXTENSIONS_DIR: profile.extensionsDir, TFS_VSIX_VERSION: manifest.version },
    log: (line) => console.log(`    ${line}`),
  });
  passed += result.passed; failed += result.failed;
  if (result.code !== 0 && result.failed === 0) failed++; // the suite did not run at all
  console.log(`${passed} passed, ${failed} failed`);
  ws.cleanup();
  if (!failed) profile.cleanup();
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
