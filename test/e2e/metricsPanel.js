#!/usr/bin/env node
// e2e: the metrics panel in the real workbench. A stand-in TF Serving server runs on the private Docker engine
// (started with the CLI, like a user would), predictions go to it, and Chromium runs "TF Serving: Show Metrics" from
// the command palette; the panel's charts must draw points (canvas, legend values), then the page is saved as
// test-results/metrics-panel.png. Run alone (`node test/e2e/metricsPanel.js`) or from test/e2e/run.js.
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
  if (!fs.existsSync(path.join(REPO, 'dist/webview/metrics.js'))) throw new Error('dist/webview/metrics.js missing: run npm run build first');
  fs.mkdirSync(RESULTS, { recursive: true });
  const t0 = Date.now();
  const since = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let page; let browser; let server; let traffic;
  const steps = stepRunner(path.join(RESULTS, 'metrics-panel-failure.png'), () => page);
  const step = steps.step;
  const engine = ensureDockerEngine();
  const env = { ...process.env, DOCKER_HOST: engine.dockerHost };
  const ws = createTestWorkspace({ prefix: 'tfs-e2e-metrics-' });
  const profile = freshProfile('tfs-e2e-metrics-profile-');
  const name = `tfs-e2e-metrics-${process.pid}`;
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
    // Steady traffic while the panel collects: every scrape interval shows a non-zero rate.
    traffic = setInterval(() => void predict(3).catch(() => {}), 700);

    server = await startCodeServer({ userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir,
      logFile: path.join(profile.dir, 'server.log'), env: { DOCKER_HOST: engine.dockerHost } });
    console.log(`[e2e metrics] ${since()} code-server on ${server.base}`);
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser);
    await page.goto(workbenchUrl(server, { folder: ws.workspace, extensionDevelopmentPaths: [REPO] }));
    const icon = page.locator('.activitybar [role="tab"][aria-label^="TF Serving"], .activitybar .action-item a[aria-label^="TF Serving"]').first();
    await step('the workbench loads with the extension', () => icon.waitFor({ state: 'visible', timeout: 120000 }));
    await step('"TF Serving: Show Metrics" from the command palette opens the panel', async () => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await input.fill('>TF Serving: Show Metrics');
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'TF Serving: Show Metrics' }).first();
      await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: `Metrics: ${name}` }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    });
    // The webview's page sits in an iframe inside the webview host iframe.
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await step('the request, error and latency charts draw points from the server', async () => {
      for (const id of ['requests', 'errors', 'latency']) {
        await frame.locator(`#chart-${id} canvas`).waitFor({ state: 'attached', timeout: 90000 });
      }
      // At least three points in the request chart (three rates: four scrapes, 5 s apart).
      await frame.locator('#chart-requests[data-points]').evaluate(async (el) => {
        const end = Date.now() + 60000;
        while (Number(el.dataset.points) < 3) {
          if (Date.now() > end) throw new Error(`only ${el.dataset.points} points`);
          await new Promise((r) => setTimeout(r, 500));
        }
      });
      const legend = await frame.locator('#chart-requests .u-legend').innerText();
      if (!legend.includes(MODEL)) throw new Error(`legend without the model: ${legend}`);
      const versions = await frame.locator('#versions').innerText();
      if (!/124\s+AVAILABLE/.test(versions)) throw new Error(`versions table: ${versions}`);
    });
    await step('screenshot test-results/metrics-panel.png', async () => {
      await page.mouse.move(5, 5);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(RESULTS, 'metrics-panel.png') });
    });
  } catch (e) {
    steps.harnessFailed(e);
  } finally {
    clearInterval(traffic);
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    try { execFileSync('docker', ['rm', '-f', name], { env, stdio: 'ignore' }); } catch { /* never started */ }
    engine.stop();
  }
  return steps.finish(() => { ws.cleanup(); profile.cleanup(); }, `[e2e metrics] ${since()} done; code-server log: ${path.join(profile.dir, 'server.log')}`);
}

module.exports = { run };
if (require.main === module) run().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
