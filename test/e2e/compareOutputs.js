#!/usr/bin/env node
// npm run test:e2e (or node test/e2e/compareOutputs.js): a zoo CNN (built by the project's TensorFlow) as version 1
// and its float16 TFLite conversion as version 2 (made by the CLI with .venv/bin/python); in the real workbench,
// right-click version 1 → "Compare Outputs…" → version 2 → seeded inputs: the validation report opens.
// Screenshot: test-results/compare-outputs.png. Needs `npm run compile:tests` (for the zoo helper) and the build.
'use strict';
const { execFileSync } = require('child_process');
const { stepRunner } = require('./steps');
const fs = require('fs');
const path = require('path');
const { REPO, freshProfile, startCodeServer } = require('../harness/codeServer');
const { launchBrowser, workbenchUrl, newWorkbenchPage } = require('../harness/workbench');
const { createTestWorkspace } = require('../harness/testWorkspace');

const RESULTS = path.join(REPO, 'test-results');
const TIMEOUT_MS = +(process.env.E2E_STEP_TIMEOUT_MS || 120000);

function row(page, label) {
  const view = page.locator('[id="workbench.view.extension.tfServing"]');
  return view.locator('.monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
}

async function expand(r) {
  await r.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  if ((await r.getAttribute('aria-expanded')) === 'false') await r.click();
}

async function pick(page, text) {
  const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  await item.click();
}

async function main() {
  for (const f of ['dist/extension.js', 'dist/cli.js', 'out/test/integration/tensorflowZoo.js']) {
    if (!fs.existsSync(path.join(REPO, f))) throw new Error(`${f} missing: run npm run build and npm run compile:tests first`);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const { tensorflowZoo, venvPython } = require(path.join(REPO, 'out/test/integration/tensorflowZoo.js'));
  const zoo = await tensorflowZoo();
  const python = venvPython();
  const ws = createTestWorkspace({ prefix: 'tfs-e2e-compare-', extraSettings: { 'tfServing.convert.pythonPath': python } });
  const cnn = path.join(ws.models, 'cnn');
  fs.cpSync(zoo.versionDir('cnn'), path.join(cnn, '1'), { recursive: true });
  execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'convert', path.join(cnn, '1'), '--to', 'tflite', '--quantize', 'float16', '--python', python],
    { stdio: 'ignore', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  const profile = freshProfile('tfs-e2e-compare-profile-');
  let server; let browser; let page;
  const steps = stepRunner(path.join(RESULTS, 'compare-outputs-failure.png'), () => page);
  const step = steps.step;
  try {
    server = await startCodeServer({ userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir, logFile: path.join(profile.dir, 'server.log') });
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser);
    await page.goto(workbenchUrl(server, { folder: ws.workspace, extensionDevelopmentPaths: [REPO] }));
    const icon = page.locator('.activitybar [role="tab"][aria-label^="TF Serving"], .activitybar .action-item a[aria-label^="TF Serving"]').first();
    await step('the TF Serving view opens', async () => {
      await icon.waitFor({ state: 'visible', timeout: 120000 });
      await icon.click();
    });
    await step('the Models view lists cnn with versions 2 and 1', async () => {
      await expand(row(page, ws.models.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
      await expand(row(page, 'cnn'));
      await row(page, '2').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    });
    await step('right-click version 1 → Compare Outputs…', async () => {
      await row(page, '1').click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-label', { hasText: 'Compare Outputs' }).first();
      await item.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
      await page.waitForTimeout(300); // the menu ignores clicks while it animates in
      await item.hover();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    });
    await step('pick version 2 and seeded inputs', async () => {
      await pick(page, 'Version 2');
      await pick(page, 'Seeded inputs');
    });
    // The report opens as a Markdown preview (a webview): its tab, then the rendered heading inside the frame.
    await step('the validation report opens with the numbers', async () => {
      await page.locator('.tab', { hasText: 'cnn-1-outputs.md' }).first().waitFor({ timeout: TIMEOUT_MS });
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe');
      await frame.locator('h2', { hasText: 'Validation: passed' }).first().waitFor({ timeout: TIMEOUT_MS });
      await frame.locator('td', { hasText: 'output_0' }).first().waitFor({ timeout: TIMEOUT_MS });
    });
    await step('screenshot test-results/compare-outputs.png', async () => {
      await page.mouse.move(1000, 700);
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(RESULTS, 'compare-outputs.png') });
    });
  } catch (e) {
    steps.harnessFailed(e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  }
  return steps.finish(() => { ws.cleanup(); profile.cleanup(); });
}

main().then((code) => process.exit(code), (e) => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
