#!/usr/bin/env node
// npm run test:e2e (or node test/e2e/validationHover.js): a broken prometheus.yml opened in the real workbench
// (code-server + headless Chromium, no Red Hat YAML, so our embedded YAML server answers) shows a red squiggle
// on the bad relabel action, and hovering it shows the schema's message. Screenshot:
// test-results/validation-hover.png. Exit 0 only when every step passed.
'use strict';
const { stepRunner } = require('./steps');
const fs = require('fs');
const path = require('path');
const { REPO, freshProfile, startCodeServer } = require('../harness/codeServer');
const { launchBrowser, workbenchUrl, newWorkbenchPage } = require('../harness/workbench');
const { createTestWorkspace } = require('../harness/testWorkspace');

const RESULTS = path.join(REPO, 'test-results');
const TIMEOUT_MS = +(process.env.E2E_STEP_TIMEOUT_MS || 60000);
const PROMETHEUS = [
  '# Scrape TF Serving\'s metrics (needs --monitoring_config_file on the server).',
  'global:',
  '  scrape_interval: 15s',
  'scrape_configs:',
  '  - job_name: tfserving',
  '    metrics_path: /monitoring/prometheus/metrics',
  '    static_configs:',
  '      - targets: [\'localhost:8501\']',
  '    relabel_configs:',
  '      - action: rename',
  '        source_labels: [model]',
  '',
].join('\n');

async function main() {
  if (!fs.existsSync(path.join(REPO, 'dist/yamlServer.js'))) throw new Error('dist/yamlServer.js missing: run npm run build first');
  fs.mkdirSync(RESULTS, { recursive: true });
  const ws = createTestWorkspace({ prefix: 'tfs-e2e-hover-' });
  fs.writeFileSync(path.join(ws.workspace, 'prometheus.yml'), PROMETHEUS);
  const profile = freshProfile('tfs-e2e-hover-profile-');
  let server; let browser; let page;
  const steps = stepRunner(path.join(RESULTS, 'validation-hover-failure.png'), () => page);
  const step = steps.step;
  try {
    server = await startCodeServer({ userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir, logFile: path.join(profile.dir, 'server.log') });
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser);
    await page.goto(workbenchUrl(server, { folder: ws.workspace, extensionDevelopmentPaths: [REPO] }));
    await step('the workbench loads', () => page.locator('.monaco-workbench').waitFor({ timeout: 120000 }));
    await step('prometheus.yml opens through Quick Open', async () => {
      await page.waitForTimeout(3000);
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: TIMEOUT_MS });
      await input.fill('prometheus.yml');
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: TIMEOUT_MS });
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines', { hasText: 'relabel_configs' }).waitFor({ timeout: TIMEOUT_MS });
    });
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await step('a red squiggle appears under the bad relabel action', () => squiggle.waitFor({ state: 'visible', timeout: TIMEOUT_MS }));
    await step('hovering it shows the schema message', async () => {
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('no squiggle box');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.locator('.monaco-hover', { hasText: /replace/ }).first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
      await page.waitForTimeout(500);
    });
    await step('screenshot test-results/validation-hover.png', () => page.screenshot({ path: path.join(RESULTS, 'validation-hover.png') }));
  } catch (e) {
    steps.harnessFailed(e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  }
  return steps.finish(() => { ws.cleanup(); profile.cleanup(); });
}

main().then((code) => process.exit(code), (e) => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
