// Loaded first by mocha (.mocharc.json): the unit and integration tests run on a maintained Node, the machine's or
// the Node 24 set-up installed, so every child they start with process.execPath (the built CLI, the S3 and GCS test
// servers) runs on it too. On an older Node this re-runs the same mocha command line under Node 24.
'use strict';
require('../../scripts/maintainedNode').ensureMaintainedNode('mocha');
