#!/usr/bin/env node
// e2e: the Load Test panel in the real workbench. A stand-in TF Serving server runs on the private Docker engine
// (started with the CLI, like a user would); Chromium runs "TF Serving: Load Test…" from the command palette and
// answers its questions with the keyboard (generated requests, concurrency 1,2,4, 2 s per level); the panel must draw
// both curves and a table row per level, then the page is saved as test-results/loadtest-panel.png.
// Run alone (`node test/e2e/loadTestPanel.js`) or from test/e2e/run.js.
'use strict';
const { stepRunner } = require('./steps');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { REPO, freePort, freshProfile, startCodeServer } = require('../harness/codeServer');
const { launchBrowser, workbenchUrl, newWorkbenchPage } = require('../harness/workbench');
const { createTestWorkspace } = require('../harness/testWorkspace');
const { ensureDockerEngine } = require('../harness/dockerEngine');

const RESULTS = path.join(REPO, 'test-results');
const MODEL = 'saved_model_half_plus_two_2_versions';
const STEP_TIMEOUT_MS = +(process.env.E2E_STEP_TIMEOUT_MS || 60000);

async function run() {
  if (!fs.existsSync(path.join(REPO, 'dist/webview/loadtest.js'))) throw new Error('dist/webview/loadtest.js missing: run npm run build first');
  fs.mkdirSync(RESULTS, { recursive: true });
  const t0 = Date.now();
  const since = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let page; let browser; let server;
  const steps = stepRunner(path.join(RESULTS, 'loadtest-panel-failure.png'), () => page);
  const step = steps.step;
  const engine = ensureDockerEngine();
  const env = { ...process.env, DOCKER_HOST: engine.dockerHost };
  const ws = createTestWorkspace({ prefix: 'tfs-e2e-loadtest-' });
  const profile = freshProfile('tfs-e2e-loadtest-profile-');
  const name = `tfs-e2e-loadtest-${process.pid}`;
  const restPort = await freePort();
  const grpcPort = await freePort();
  const predict = async (n) => {
    for (let i = 0; i < n; i++) {
      const r = await fetch(`http://127.0.0.1:${restPort}/v1/models/${MODEL}:predict`, { method: 'POST', body: JSON.stringify({ instances: [1, 2, i] }) });
      if (!r.ok) throw new Error(`predict answered HTTP ${r.status}`);
      await r.text();
    }
  };
  try {
    await step('the CLI starts a stand-in TF Serving server with monitoring on the private engine', async () => {
      execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'serve', path.join(ws.models, MODEL), '--name', name,
        '--rest-port', String(restPort), '--grpc-port', String(grpcPort)], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180000 });
    });
    await step('predictions are answered', () => predict(10));
    server = await startCodeServer({ userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir,
      logFile: path.join(profile.dir, 'server.log'), env: { DOCKER_HOST: engine.dockerHost } });
    console.log(`[e2e loadtest] ${since()} code-server on ${server.base}`);
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser);
    await page.goto(workbenchUrl(server, { folder: ws.workspace, extensionDevelopmentPaths: [REPO] }));
    const icon = page.locator('.activitybar [role="tab"][aria-label^="TF Serving"], .activitybar .action-item a[aria-label^="TF Serving"]').first();
    await step('the workbench loads with the extension', () => icon.waitFor({ state: 'visible', timeout: 120000 }));
    const input = page.locator('.quick-input-widget input');
    /** Picks the quick-pick row with this text, or types into an input box, then Enter. */
    const answer = async (what, text) => {
      await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      if (what === 'pick') {
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().click();
      } else {
        await input.fill(text);
        await page.keyboard.press('Enter');
      }
      await page.waitForTimeout(300);
    };
    await step('"TF Serving: Load Test…" from the command palette asks what to send and how', async () => {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await input.fill('>TF Serving: Load Test');
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'TF Serving: Load Test…' }).first();
      await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await row.click(); // not Enter: "Compare Load Test Runs…" matches too and may be listed first
      await answer('pick', 'Generated from signature serving_default');
      await answer('input', '1');
      await answer('pick', 'Closed loop: other concurrency levels');
      await answer('input', '1,2,4');
      await answer('pick', 'A fixed duration per level');
      await answer('input', '2s');
      await page.locator('.tab', { hasText: `Load Test: ${name}` }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    });
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await step('the panel draws the latency and throughput curves and a row per level', async () => {
      await frame.locator('#status', { hasText: 'Done: 3 level(s)' }).waitFor({ state: 'visible', timeout: 120000 });
      const canvases = await frame.locator('.chart canvas').count();
      if (canvases < 2) throw new Error(`${canvases} charts drawn`);
      const rows = await frame.locator('table.levels tbody tr').allInnerTexts();
      if (rows.length !== 3 || !/^concurrency 1\s/.test(rows[0]) || !/^concurrency 4\s/.test(rows[2])) throw new Error(`table rows: ${JSON.stringify(rows)}`);
      const legend = await frame.locator('.chart .u-legend').first().innerText();
      if (!/p99/.test(legend)) throw new Error(`latency legend: ${legend}`);
    });
    await step('screenshot test-results/loadtest-panel.png', async () => {
      await page.mouse.move(5, 5);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(RESULTS, 'loadtest-panel.png') });
    });
  } catch (e) {
    steps.harnessFailed(e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    try { execFileSync('docker', ['rm', '-f', name], { env, stdio: 'ignore' }); } catch { /* never started */ }
    engine.stop();
  }
  return steps.finish(() => { ws.cleanup(); profile.cleanup(); }, `[e2e loadtest] ${since()} done; code-server log: ${path.join(profile.dir, 'server.log')}`);
}

module.exports = { run };
if (require.main === module) run().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
