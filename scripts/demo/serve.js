#!/usr/bin/env node
// Serves the editor for `npm start`: code-server on 127.0.0.1:8080 (or the next free port) with the
// demo workspace open and this repository's extension installed as a link, so a plain browser tab shows
// it active, and `npm run watch` + "Developer: Reload Window" picks up changes. Runs until Ctrl-C.
//   --check   open the page in headless Chromium instead, verify the TF Serving views show the demo
//             models (screenshot: test-results/start-demo.png), then stop; exit status says how it went.
//   --port=N  start looking for a free port at N instead of 8080.
'use strict';
const fs = require('fs');
const path = require('path');
const { REPO, QUIET_USER_SETTINGS, freePort, startCodeServer } = require('../../test/harness/codeServer');
const { DEMO, MODELS, WORKSPACE, DEMO_MODELS } = require('./generateDemo');
const { startSeededBuckets } = require('../../test/servers/seededBuckets');

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const ID = `${manifest.publisher}.${manifest.name}`;

/** .demo/extensions/<id>-<version> -> the repository: VS Code loads it like an installed extension. */
function linkExtension(extensionsDir) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (entry.startsWith(`${ID}-`)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  // The extensions manifest would still name an older link; code-server rebuilds it from the folder.
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });
  fs.symlinkSync(REPO, path.join(extensionsDir, `${ID}-${manifest.version}`), 'dir');
}

async function check(server, url) {
  const { launchBrowser } = require('../../test/harness/workbench');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    const icon = page.locator('.activitybar [aria-label^="TF Serving"]').first();
    await icon.waitFor({ state: 'visible', timeout: 120000 });
    await icon.click();
    const view = page.locator('[id="workbench.view.extension.tfServing"]');
    await view.locator('.monaco-list-row[role="treeitem"]', { hasText: MODELS }).first().waitFor({ timeout: 60000 });
    const row = view.locator('.monaco-list-row[role="treeitem"]', { hasText: MODELS }).first();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    await view.locator('.monaco-list-row[role="treeitem"]', { hasText: 'half_plus_two_tflite' }).first().waitFor({ timeout: 60000 });
    // The bucket repositories (expanded by default) list the same models from the local S3 server and GCS emulator.
    for (const label of ['s3://models (local S3 server)', 'gs://models (local GCS emulator)']) {
      await view.locator('.monaco-list-row[role="treeitem"]', { hasText: label }).first().waitFor({ timeout: 60000 });
    }
    const rows = view.locator('.monaco-list-row[role="treeitem"]', { hasText: /^half_plus_two_tflite$/ });
    for (let i = 0; i < 300 && (await rows.count()) < 3; i++) await page.waitForTimeout(100);
    if ((await rows.count()) < 3) throw new Error(`half_plus_two_tflite is listed ${await rows.count()} times, expected 3 (local, S3, GCS)`);
    fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(REPO, 'test-results', 'start-demo.png') });
    console.log('[start] check passed: the TF Serving views list the demo models (test-results/start-demo.png)');
  } finally {
    await browser.close();
  }
}

(async () => {
  const portArg = process.argv.find((a) => a.startsWith('--port='));
  const port = await freePort(portArg ? +portArg.slice(7) : 8080);
  const userDataDir = path.join(DEMO, 'user-data');
  const extensionsDir = path.join(DEMO, 'extensions');
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify(QUIET_USER_SETTINGS, null, 2));
  }
  linkExtension(extensionsDir);
  // A local S3 server and GCS emulator seeded with the demo models, so the bucket workflow works without an
  // account. Their endpoints change per run, so the workspace settings are rewritten; the S3 test key reaches the
  // extension through the standard AWS environment variables of the editor's process, never through settings.
  const buckets = await startSeededBuckets({ models: DEMO_MODELS });
  const settingsFile = path.join(WORKSPACE, '.vscode', 'settings.json');
  const wsSettings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  const local = (wsSettings['tfServing.modelRepositories'] || []).filter((r) => typeof r === 'string' || !/^(s3|gs):/.test(r.uri));
  wsSettings['tfServing.modelRepositories'] = [
    ...local,
    { uri: `s3://${buckets.s3.bucket}`, label: 's3://models (local S3 server)', endpoint: buckets.s3.endpoint, region: 'us-east-1' },
    { uri: `gs://${buckets.gcs.bucket}`, label: 'gs://models (local GCS emulator)', endpoint: buckets.gcs.endpoint },
  ];
  fs.writeFileSync(settingsFile, JSON.stringify(wsSettings, null, 2) + '\n');
  const logFile = path.join(DEMO, 'code-server.log');
  let server;
  try {
    server = await startCodeServer({
      userDataDir, extensionsDir, port, devPayload: false, logFile, extraArgs: [WORKSPACE],
      env: { AWS_ACCESS_KEY_ID: buckets.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: buckets.s3.secretAccessKey, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
    });
  } catch (e) {
    await buckets.stop();
    throw e;
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'exit']) process.once(sig, () => void buckets.stop());
  const url = `${server.base}/?folder=${encodeURIComponent(WORKSPACE)}`;
  if (process.argv.includes('--check')) {
    try { await check(server, url); } finally { await server.stop(); await buckets.stop(); }
    return;
  }
  console.log('');
  console.log(`  TF Serving Studio is running in VS Code (code-server ${server.base}).`);
  console.log(`  Open: ${url}`);
  console.log(`  Demo models: ${MODELS}, s3://models (${buckets.s3.endpoint}), gs://models (${buckets.gcs.endpoint})`);
  console.log(`  Server log: ${logFile}`);
  console.log('  Press Ctrl-C to stop.');
  console.log('');
  await new Promise(() => {}); // until Ctrl-C (codeServer.js stops the server on SIGINT/SIGTERM)
})().catch((e) => { console.error(`[start] ${e.message}`); process.exit(1); });
