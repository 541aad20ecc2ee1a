// Opens a code-server workbench in headless Debian Chromium (playwright-core drives the system browser;
// nothing is downloaded).
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The workbench URL. Folder paths are on the server's disk; development and test paths go in the
 * payload as vscode-remote URIs whose authority is the server's host:port (the remote authority).
 */
function workbenchUrl(server, { folder, extensionDevelopmentPaths = [], extensionTestsPath, disableExtensions } = {}) {
  const remote = (p) => `vscode-remote://${server.authority}${path.resolve(p)}`;
  const payload = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  for (const p of extensionDevelopmentPaths) payload.push(['extensionDevelopmentPath', remote(p)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (disableExtensions) payload.push(['disableExtensions', 'true']);
  const where = !folder ? 'ew=true'
    : folder.endsWith('.code-workspace') ? `workspace=${encodeURIComponent(path.resolve(folder))}`
      : `folder=${encodeURIComponent(path.resolve(folder))}`;
  return `${server.base}/?${where}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * A new page with the smoke-test driver switched on in the page's own copy of the workbench
 * configuration (belt and braces with the server's --vscode-option), so the payload above is honoured.
 * onLog(type, line) receives the workbench's automation log (the extension host's console included);
 * onExit(code) receives the extension test runner's exit code.
 */
async function newWorkbenchPage(browser, { onLog, onExit } = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    const original = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const value = original.call(this, name);
      if (value && name === 'data-settings' && this.id === 'vscode-workbench-web-configuration') {
        const config = JSON.parse(value);
        config.developmentOptions = { ...(config.developmentOptions || {}), enableSmokeTestDriver: true };
        return JSON.stringify(config);
      }
      return value;
    };
  });
  // The hooks VS Code's own browser integration tests use.
  if (onLog) await page.exposeFunction('codeAutomationLog', (type, args) => onLog(type, args));
  if (onExit) await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
  return page;
}

module.exports = { CHROMIUM, CHROMIUM_ARGS, launchBrowser, workbenchUrl, newWorkbenchPage };
