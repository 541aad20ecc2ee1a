#!/usr/bin/env node
// npm run test:extension — runs the extension tests (test/extension/*.test.ts, compiled to
// out/test/extension by `npm run compile:tests`) inside a real VS Code extension host (code-server).
// Builds nothing: scripts/test.sh builds dist/ and out/ first.
// The tests find their workspace in TFS_TEST_WORKSPACE, its model repository in TFS_TEST_MODELS and a live
// Docker engine with the stand-in tensorflow/serving image in DOCKER_HOST (started here unless it is set).
'use strict';
const fs = require('fs');
const path = require('path');
const { REPO } = require('./codeServer');
const { createTestWorkspace } = require('./testWorkspace');
const { ensureDockerEngine } = require('./dockerEngine');
const { runTestsInCodeServer } = require('./vscodeInCodeServer');
const { startSeededBuckets } = require('../servers/seededBuckets');

(async () => {
  const testsIndex = path.join(REPO, 'out/test/extension/index.js');
  for (const needed of [testsIndex, path.join(REPO, 'dist/extension.js')]) {
    if (!fs.existsSync(needed)) {
      console.error(`missing ${path.relative(REPO, needed)}: run npm run build && npm run compile:tests first`);
      process.exit(2);
    }
  }
  const engine = ensureDockerEngine();
  const buckets = await startSeededBuckets();
  const ws = createTestWorkspace();
  console.log(`[test:extension] workspace ${ws.workspace}; DOCKER_HOST=${engine.dockerHost}`);
  let result;
  try {
    result = await runTestsInCodeServer({
      extensionDevelopmentPaths: [REPO],
      extensionTestsPath: testsIndex,
      folder: ws.workspace,
      env: {
        TFS_TEST_WORKSPACE: ws.workspace, TFS_TEST_MODELS: ws.models, DOCKER_HOST: engine.dockerHost,
        // Local S3 server and GCS emulator seeded with the test models; the keys go in through the extension's
        // credential command (SecretStorage), not the environment.
        TFS_TEST_S3_ENDPOINT: buckets.s3.endpoint, TFS_TEST_S3_ACCESS_KEY: buckets.s3.accessKeyId, TFS_TEST_S3_SECRET: buckets.s3.secretAccessKey,
        TFS_TEST_GCS_ENDPOINT: buckets.gcs.endpoint,
        // Keep the AWS default credential chain off the network (no instance metadata lookups).
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      screenshot: path.join(REPO, 'test-results', 'extension-tests.png'),
    });
  } finally {
    await buckets.stop();
    engine.stop();
  }
  if (result.code === 0) ws.cleanup();
  else console.log(`[test:extension] kept the workspace for inspection: ${ws.workspace}`);
  process.exit(result.code);
})().catch((e) => { console.error(e); process.exit(2); });
