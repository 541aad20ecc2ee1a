// Starts and stops a code-server (a real VS Code server + web workbench) for tests, e2e and `npm start`.
// code-server and the Node 24 that runs it are installed by test/harness/setup-code-server.sh.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '../..');
const CS_DIR = path.resolve(process.env.VSCODE_CS_DIR || path.join(REPO, '.vscode-test-cs'));
const CODE_SERVER = path.join(CS_DIR, 'cs/node_modules/.bin/code-server');
const NODE_BIN_DIR = path.dirname(require('../../scripts/maintainedNode').projectNodeBinary(REPO));
const HOST = '127.0.0.1';

// Servers run in their own process group (so their extension hosts stop with them); make sure none
// outlives this process, whether it ends normally, by Ctrl-C or by SIGTERM.
const running = new Set();
function killGroup(pid, signal) { try { process.kill(-pid, signal); } catch { /* already gone */ } }
process.on('exit', () => { for (const pid of running) killGroup(pid, 'SIGKILL'); });
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => { for (const pid of running) killGroup(pid, 'SIGTERM'); process.exit(code); });
}

// User settings that keep a test workbench quiet and offline (no AI panels, telemetry, update or
// marketplace checks, welcome pages or trust prompts).
const QUIET_USER_SETTINGS = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'npm.autoDetect': 'off',
};

function assertInstalled() {
  if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(path.join(NODE_BIN_DIR, 'node'))) {
    throw new Error(`code-server is not installed in ${CS_DIR}; run: npm run setup (or bash test/harness/setup-code-server.sh)`);
  }
}

function envWithNode24(extra) {
  return { ...process.env, ...extra, PATH: `${NODE_BIN_DIR}:${process.env.PATH}` };
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1: `preferred` or the next free one above it, or any if none is given. */
async function freePort(preferred) {
  if (preferred) {
    for (let p = preferred; p < preferred + 100; p++) if (await portIsFree(p)) return p;
  }
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** A fresh profile folder (user data + extensions) with quiet user settings; removed by cleanup(). */
function freshProfile(prefix = 'tfs-code-server-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  const settings = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(settings, JSON.stringify(QUIET_USER_SETTINGS, null, 2));
  return {
    dir, userDataDir, extensionsDir,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `code-server --install-extension <vsix>` into extensionsDir; returns the CLI's output. */
function installExtension(vsixPath, { userDataDir, extensionsDir }) {
  assertInstalled();
  return execFileSync(CODE_SERVER, [
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath, '--force',
  ], { env: envWithNode24({}), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
}

/**
 * Starts code-server on 127.0.0.1 without auth and waits for /healthz.
 * devPayload: let the workbench honour extensionDevelopmentPath/extensionTestsPath from the URL payload
 * (a release build does so only with the smoke-test driver enabled).
 * Returns { base, authority, port, logFile, stop() }.
 */
async function startCodeServer({ userDataDir, extensionsDir, port, env = {}, devPayload = true, logFile, extraArgs = [] }) {
  assertInstalled();
  port = port || await freePort();
  const authority = `${HOST}:${port}`;
  logFile = logFile || path.join(path.dirname(userDataDir), 'server.log');
  const xdg = path.join(path.dirname(userDataDir), 'xdg');
  const args = [
    '--bind-addr', authority, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    ...(devPayload ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...extraArgs,
  ];
  const log = fs.openSync(logFile, 'a');
  const child = spawn(CODE_SERVER, args, {
    detached: true, // own process group, so stop() ends the server and its extension hosts together
    stdio: ['ignore', log, log],
    env: envWithNode24({ ...env, XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data') }),
  });
  fs.closeSync(log);
  running.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const stop = () => new Promise((resolve) => {
    const done = () => { killGroup(child.pid, 'SIGKILL'); running.delete(child.pid); resolve(); };
    if (exited) return done(); // the group may still hold extension hosts
    child.once('exit', done);
    killGroup(child.pid, 'SIGTERM');
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
  });
  const base = `http://${authority}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}); see ${logFile}`);
    if (Date.now() > deadline) { await stop(); throw new Error(`code-server did not answer within 60 s; see ${logFile}`); }
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { base, authority, port, logFile, stop, pid: child.pid };
}

module.exports = {
  REPO, CS_DIR, CODE_SERVER, HOST, QUIET_USER_SETTINGS,
  assertInstalled, freePort, freshProfile, installExtension, startCodeServer,
};
