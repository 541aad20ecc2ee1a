#!/usr/bin/env node
// Runs an extension test suite (extensionTestsPath) INSIDE a real VS Code Node extension host:
// code-server serves the workbench, headless Chromium opens it with the development/test payload,
// and the test runner's result comes back through the workbench's automation hooks.
//
// As a CLI it takes the arguments @vscode/test-electron passes to a VS Code executable, so
// test/harness/code-shim can stand in for VS Code:
//   node test/harness/vscodeInCodeServer.js --extensionDevelopmentPath=DIR --extensionTestsPath=FILE
//        [--user-data-dir=D] [--extensions-dir=D] [--disable-extensions] [WORKSPACE_FOLDER]
// Env: VSCODE_TEST_TIMEOUT_MS (default 900000: the whole suite, ~6 min on 2 loaded cores), VSCODE_TEST_VERBOSE=1 (every workbench log line),
//      VSCODE_TEST_SCREENSHOT=file.png, VSCODE_CS_DIR, CHROMIUM.
// Exit code: 0 when the suite passed, 1 when it failed, 2 when the harness itself failed.
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const { freshProfile, startCodeServer, QUIET_USER_SETTINGS } = require('./codeServer');
const { launchBrowser, workbenchUrl, newWorkbenchPage } = require('./workbench');

// Workbench chatter that says nothing about the tests.
const NOISE = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)|^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin|^Creation of workbench contribution|open-vsx\.org|authentication provider 'github'|^\s+at .*\/static\/out\/vs\//;

/**
 * Options: extensionDevelopmentPaths (array), extensionTestsPath, folder (workspace to open),
 * env (given to the server, hence to the extension host), userDataDir/extensionsDir (default: fresh),
 * disableExtensions, timeoutMs, screenshot, log (line printer).
 * Resolves to { code, passed, failed, logsDir }.
 */
async function runTestsInCodeServer(opts) {
  const log = opts.log || ((line) => console.log(line));
  const t0 = Date.now();
  const since = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const profile = freshProfile('tfs-vscode-test-');
  const userDataDir = opts.userDataDir ? path.resolve(opts.userDataDir) : profile.userDataDir;
  const extensionsDir = opts.extensionsDir ? path.resolve(opts.extensionsDir) : profile.extensionsDir;
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify(QUIET_USER_SETTINGS, null, 2));
  }
  fs.mkdirSync(extensionsDir, { recursive: true });
  const timeoutMs = opts.timeoutMs || +(process.env.VSCODE_TEST_TIMEOUT_MS || 900000);
  const verbose = !!process.env.VSCODE_TEST_VERBOSE;
  const logsDir = profile.dir;
  const workbenchLog = fs.createWriteStream(path.join(logsDir, 'workbench.log'));
  let server; let browser; let passed; let failed; let code = 2;
  try {
    server = await startCodeServer({ userDataDir, extensionsDir, env: opts.env, logFile: path.join(logsDir, 'server.log') });
    log(`[vscode-in-code-server] ${since()} code-server on ${server.base}`);
    browser = await launchBrowser();
    let resolveExit; const exited = new Promise((r) => { resolveExit = r; });
    const page = await newWorkbenchPage(browser, {
      onLog: (type, args) => {
        const line = util.format(...(Array.isArray(args) ? args : [args]));
        workbenchLog.write(`[${type}] ${line}\n`);
        let m;
        if ((m = /^\s*(\d+) passing/.exec(line))) passed = +m[1];
        if ((m = /^\s*(\d+) failing/.exec(line))) failed = +m[1];
        if (verbose || !NOISE.test(line)) log(line);
      },
      onExit: (c) => resolveExit(c),
    });
    page.on('pageerror', (e) => workbenchLog.write(`[pageerror] ${e.message}\n`));
    await page.goto(workbenchUrl(server, {
      folder: opts.folder,
      extensionDevelopmentPaths: opts.extensionDevelopmentPaths,
      extensionTestsPath: opts.extensionTestsPath,
      disableExtensions: opts.disableExtensions,
    }));
    log(`[vscode-in-code-server] ${since()} workbench loaded; waiting for the extension host test runner`);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${timeoutMs} ms`)), timeoutMs);
    });
    code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    const shot = opts.screenshot || process.env.VSCODE_TEST_SCREENSHOT;
    if (shot) { fs.mkdirSync(path.dirname(shot), { recursive: true }); await page.screenshot({ path: shot }).catch(() => {}); }
    log(`[vscode-in-code-server] ${since()} test runner exit code ${code}`);
  } catch (e) {
    log(`[vscode-in-code-server] ERROR: ${e.message}`);
    code = 2;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    workbenchLog.end();
  }
  // A run that reported no counts did not run the suite.
  if (code === 0 && passed === undefined) { log('[vscode-in-code-server] the runner reported no test counts'); code = 2; }
  // Logs are worth keeping only when something went wrong; the profile is rebuilt each run anyway.
  if (code === 0) profile.cleanup();
  else {
    for (const d of [profile.userDataDir, profile.extensionsDir]) fs.rmSync(d, { recursive: true, force: true });
    log(`[vscode-in-code-server] logs: ${logsDir} (server.log, workbench.log)`);
  }
  log(`${passed || 0} passed, ${failed || 0} failed`);
  return { code: code === 0 ? 0 : code === 2 ? 2 : 1, passed: passed || 0, failed: failed || 0, logsDir };
}

/** Parses the argument list @vscode/test-electron gives a VS Code executable. */
function parseArgs(argv) {
  const values = (name) => {
    const out = [];
    argv.forEach((a, i) => {
      if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
      else if (a === `--${name}` && argv[i + 1] !== undefined) out.push(argv[i + 1]);
    });
    return out;
  };
  const valued = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir']);
  const positional = argv.filter((a, i) => !a.startsWith('-') && !valued.has(argv[i - 1]));
  return {
    extensionDevelopmentPaths: values('extensionDevelopmentPath').map((p) => path.resolve(p)),
    extensionTestsPath: values('extensionTestsPath').map((p) => path.resolve(p))[0],
    userDataDir: values('user-data-dir')[0],
    extensionsDir: values('extensions-dir')[0],
    disableExtensions: argv.includes('--disable-extensions'),
    folder: positional[0] && path.resolve(positional[0]),
  };
}

if (require.main === module) {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts.extensionTestsPath) {
    console.error('usage: vscodeInCodeServer.js --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [WORKSPACE]');
    process.exit(2);
  }
  runTestsInCodeServer(opts).then((r) => process.exit(r.code), (e) => { console.error(e); process.exit(2); });
}

module.exports = { runTestsInCodeServer, parseArgs };
