// Runs in the extension host of a code-server where the packaged .vsix was installed (not loaded from
// the repository). Loaded as extensionTestsPath by test/harness/vsixInstallTest.js.
'use strict';
const path = require('path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000 });
  mocha.addFile(path.join(__dirname, 'smoke.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} VSIX smoke test(s) failed`)) : resolve()));
  });
};
