#!/usr/bin/env node
// npm run test:electron — the same extension suite through @vscode/test-electron's runTests().
// By default VS Code is code-server, reached through test/harness/code-shim (this machine cannot download
// VS Code). Set TFS_TEST_ELECTRON=download to let @vscode/test-electron download and run a desktop
// VS Code instead (needs internet and a display, e.g. xvfb-run), or VSCODE_EXECUTABLE=/path/to/code
// to use an installed one.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');
const { REPO } = require('./codeServer');
const { createTestWorkspace } = require('./testWorkspace');
const { ensureDockerEngine } = require('./dockerEngine');

(async () => {
  const engine = ensureDockerEngine();
  const ws = createTestWorkspace();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tfs-test-electron-'));
  const mode = process.env.TFS_TEST_ELECTRON || 'code-server';
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE
    || (mode === 'download' ? undefined : path.join(__dirname, 'code-shim'));
  console.log(`[test:electron] VS Code: ${vscodeExecutablePath || 'downloaded by @vscode/test-electron'}`);
  let code = 0;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out/test/extension/index.js'),
      // A fresh profile each run, so no state leaks between runs.
      launchArgs: [ws.workspace, `--user-data-dir=${path.join(profile, 'user-data')}`,
        `--extensions-dir=${path.join(profile, 'extensions')}`, '--disable-extensions'],
      extensionTestsEnv: { TFS_TEST_WORKSPACE: ws.workspace, TFS_TEST_MODELS: ws.models, DOCKER_HOST: engine.dockerHost },
    });
  } catch (err) {
    console.error(`[test:electron] failed: ${err.message}`);
    code = 1;
  }
  engine.stop();
  fs.rmSync(profile, { recursive: true, force: true });
  if (code === 0) ws.cleanup();
  process.exit(code);
})();
