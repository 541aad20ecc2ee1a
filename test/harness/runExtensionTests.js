#!/usr/bin/env node
// npm run test:extension — runs the extension tests (test/extension/*.test.ts, compiled to
// out/test/extension by `npm run compile:tests`) inside a real VS Code extension host (code-server).
// Builds nothing: scripts/test.sh builds dist/ and out/ first.
// The tests find their workspace in TFS_TEST_WORKSPACE and its model repository in TFS_TEST_MODELS.
'use strict';
const fs = require('fs');
const path = require('path');
const { REPO } = require('./codeServer');
const { createTestWorkspace } = require('./testWorkspace');
const { runTestsInCodeServer } = require('./vscodeInCodeServer');

(async () => {
  const testsIndex = path.join(REPO, 'out/test/extension/index.js');
  for (const needed of [testsIndex, path.join(REPO, 'dist/extension.js')]) {
    if (!fs.existsSync(needed)) {
      console.error(`missing ${path.relative(REPO, needed)}: run npm run build && npm run compile:tests first`);
      process.exit(2);
    }
  }
  const ws = createTestWorkspace();
  console.log(`[test:extension] workspace ${ws.workspace}`);
  const result = await runTestsInCodeServer({
    extensionDevelopmentPaths: [REPO],
    extensionTestsPath: testsIndex,
    folder: ws.workspace,
    env: { TFS_TEST_WORKSPACE: ws.workspace, TFS_TEST_MODELS: ws.models },
    screenshot: path.join(REPO, 'test-results', 'extension-tests.png'),
  });
  if (result.code === 0) ws.cleanup();
  else console.log(`[test:extension] kept the workspace for inspection: ${ws.workspace}`);
  process.exit(result.code);
})().catch((e) => { console.error(e); process.exit(2); });
