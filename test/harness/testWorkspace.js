// Builds a throw-away workspace for tests and e2e: a copy of the TF Serving test models as a model
// repository, and workspace settings that point the extension at it.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { REPO } = require('./codeServer');

// TF_SERVING_FIXTURES may point elsewhere for local experiments; committed runs use the repo's copy.
const FIXTURES = path.resolve(process.env.TF_SERVING_FIXTURES || path.join(REPO, 'test/fixtures/tf-serving'));

/**
 * Creates <tmp>/workspace with models/ (a copy of the fixtures) and .vscode/settings.json setting
 * tfServing.modelRepositories to that copy. Returns { dir, workspace, models, cleanup }.
 */
function createTestWorkspace({ prefix = 'tfs-test-workspace-', extraSettings = {} } = {}) {
  if (!fs.existsSync(FIXTURES)) throw new Error(`TF Serving test models not found at ${FIXTURES}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(dir, 'workspace');
  const models = path.join(workspace, 'models');
  fs.cpSync(FIXTURES, models, { recursive: true });
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'tfServing.modelRepositories': [models],
    ...extraSettings,
  }, null, 2));
  return { dir, workspace, models, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { FIXTURES, createTestWorkspace };
