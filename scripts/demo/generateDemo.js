#!/usr/bin/env node
// Creates the demo workspace for `npm start` in .demo/ (git-ignored), from TF Serving's test models in
// test/fixtures/tf-serving:
//   .demo/models/            a model repository: half_plus_two (versions 123 and 124), half_plus_two_tf2,
//                            half_plus_two_tflite
//   .demo/workspace/         the folder the editor opens; its settings point the Models view at .demo/models
// Existing models are kept (so what you publish or delete while trying things survives a restart);
// pass --reset to start over.
'use strict';
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/tf-serving');
const DEMO = path.join(REPO, '.demo');
const MODELS = path.join(DEMO, 'models');
const WORKSPACE = path.join(DEMO, 'workspace');
// demo model name -> fixture folder
const DEMO_MODELS = {
  half_plus_two: 'saved_model_half_plus_two_2_versions',
  half_plus_two_tf2: 'saved_model_half_plus_two_tf2_cpu',
  half_plus_two_tflite: 'saved_model_half_plus_two_tflite',
};

function generateDemo({ reset = false } = {}) {
  if (reset) fs.rmSync(DEMO, { recursive: true, force: true });
  for (const [name, fixture] of Object.entries(DEMO_MODELS)) {
    const target = path.join(MODELS, name);
    if (!fs.existsSync(target)) fs.cpSync(path.join(FIXTURES, fixture), target, { recursive: true });
  }
  // The models are TF Serving's test data: keep their licence next to them, outside the repository folder.
  for (const f of ['LICENSE', 'NOTICE']) {
    if (fs.existsSync(path.join(FIXTURES, f))) fs.copyFileSync(path.join(FIXTURES, f), path.join(DEMO, `models-${f}`));
  }
  fs.mkdirSync(path.join(WORKSPACE, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(WORKSPACE, '.vscode', 'settings.json'), JSON.stringify({
    'tfServing.modelRepositories': [MODELS],
    // code-server offers to forward every port a process on this machine listens on (docker-proxy's too), and
    // toasts about the gRPC port, which a browser cannot use. The demo serves on 127.0.0.1 to a browser on the
    // same machine, where every server's ports are reachable as they are: nothing needs forwarding. (Port
    // attributes keyed by docker-proxy's command line were tried: the installed code-server did not apply them.)
    'remote.autoForwardPorts': false,
    // The project's TensorFlow (scripts/setup-python.sh): Convert to TFLite… and Compare Outputs… work out of the box.
    'tfServing.convert.pythonPath': path.join(REPO, '.venv', 'bin', 'python'),
  }, null, 2) + '\n');
  const readme = path.join(WORKSPACE, 'README.md');
  if (!fs.existsSync(readme)) {
    fs.writeFileSync(readme, [
      '# TF Serving Studio demo',
      '',
      `Open the **TF Serving** view in the activity bar. The Models view lists the repository \`${MODELS}\`:`,
      '',
      ...Object.keys(DEMO_MODELS).map((m) => `- \`${m}\``),
      '',
      'The models are TensorFlow Serving\'s own test models (Apache-2.0, see ../models-LICENSE).',
      'Run `npm start -- --reset` to restore them.',
      '',
    ].join('\n'));
  }
  return { demo: DEMO, models: MODELS, workspace: WORKSPACE };
}

if (require.main === module) {
  const r = generateDemo({ reset: process.argv.includes('--reset') });
  console.log(`[demo] workspace ${r.workspace}; model repository ${r.models}`);
}

module.exports = { generateDemo, DEMO, MODELS, WORKSPACE, DEMO_MODELS };
