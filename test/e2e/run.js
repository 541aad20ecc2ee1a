#!/usr/bin/env node
// npm run test:e2e — drives the real workbench like a user: code-server with the extension under
// development and a workspace whose settings point at a copy of the TF Serving test models; headless
// Chromium opens the "TF Serving" activity-bar view and expands the Models tree down to version items.
// Screenshots go to test-results/. Exit 0 only when every step passed.
'use strict';
const { stepRunner } = require('./steps');
const fs = require('fs');
const path = require('path');
const { REPO, freshProfile, startCodeServer } = require('../harness/codeServer');
const { launchBrowser, workbenchUrl, newWorkbenchPage } = require('../harness/workbench');
const { createTestWorkspace } = require('../harness/testWorkspace');

const RESULTS = path.join(REPO, 'test-results');
const STEP_TIMEOUT_MS = +(process.env.E2E_STEP_TIMEOUT_MS || 60000);
// A model with two versions (00000123 and 00000124) in test/fixtures/tf-serving.
const MODEL = 'saved_model_half_plus_two_2_versions';

/** The rows of the Models view whose label (not description) is `label`. */
function modelsRow(page, label) {
  const exact = typeof label === 'string' ? new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`) : label;
  const view = page.locator('[id="workbench.view.extension.tfServing"]');
  return view.locator('.monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: exact }) });
}

/** Widens the side bar so the screenshot shows whole labels (cosmetic; failures are ignored). */
async function widenSideBar(page) {
  const box = await page.locator('.part.sidebar').boundingBox().catch(() => null);
  if (!box) return;
  const x = box.x + box.width; const y = box.y + box.height / 2; // the sash sits on the right edge
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 380, y, { steps: 8 });
  await page.mouse.up();
}

async function expand(row) {
  await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist/extension.js'))) throw new Error('dist/extension.js missing: run npm run build first');
  fs.mkdirSync(RESULTS, { recursive: true });
  const t0 = Date.now();
  const since = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const ws = createTestWorkspace({ prefix: 'tfs-e2e-' });
  const profile = freshProfile('tfs-e2e-profile-');
  let server; let browser; let page;
  const steps = stepRunner(path.join(RESULTS, 'e2e-failure.png'), () => page);
  const step = steps.step;
  try {
    server = await startCodeServer({ userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir,
      logFile: path.join(profile.dir, 'server.log') });
    console.log(`[e2e] ${since()} code-server on ${server.base}; workspace ${ws.workspace}`);
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser);
    await page.goto(workbenchUrl(server, { folder: ws.workspace, extensionDevelopmentPaths: [REPO] }));

    const icon = page.locator('.activitybar [role="tab"][aria-label^="TF Serving"], .activitybar .action-item a[aria-label^="TF Serving"]').first();
    await step('the "TF Serving" activity-bar icon appears', () => icon.waitFor({ state: 'visible', timeout: 120000 }));
    await step('clicking it opens the Models and Serving views', async () => {
      await icon.click();
      const container = page.locator('[id="workbench.view.extension.tfServing"]');
      await container.locator('.pane-header', { hasText: /models/i }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await container.locator('.pane-header', { hasText: /serving/i }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    });
    await step('the Models view shows the configured repository', () => expand(modelsRow(page, ws.models).first()));
    await step(`the repository lists the model ${MODEL}`, () => expand(modelsRow(page, MODEL).first()));
    await step('the model lists its versions 123 and 124', async () => {
      await modelsRow(page, /^\s*0*123\s*$/).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await modelsRow(page, /^\s*0*124\s*$/).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    });
    await step('screenshot test-results/models-view.png', async () => {
      await widenSideBar(page);
      await page.mouse.move(1000, 700); // no hover highlight or tooltip in the picture
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(RESULTS, 'models-view.png') });
    });
  } catch (e) {
    steps.harnessFailed(e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  }
  return steps.finish(() => { ws.cleanup(); profile.cleanup(); }, `[e2e] ${since()} done; code-server log: ${path.join(profile.dir, 'server.log')}`);
}

main().then(async (code) => process.exit(code || await require('./metricsPanel').run()), (e) => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
