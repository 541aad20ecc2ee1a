#!/usr/bin/env bash
# npm run setup — installs whatever is missing to build, test and run the extension, idempotently.
# Needs a Debian machine with Node >= 20, npm, python3 and apt, run as root (or with sudo for apt).
# Installs: Node 24 into .vscode-test-cs/node (test/harness/setup-node.sh; the project runs on it when the machine's
# Node is older than engines.node, see scripts/maintainedNode.js), npm dependencies (npm ci when package-lock.json
# or package.json changed), the Debian packages in APT_PACKAGES, code-server (test/harness/setup-code-server.sh),
# TensorFlow into .venv/ (scripts/setup-python.sh) and moto into .venv-moto/ (scripts/setup-moto.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages the tests need. Add new ones here (one word each, with why).
APT_PACKAGES=(
  chromium          # headless browser that opens the code-server workbench (extension tests, e2e)
  libkrb5-dev       # code-server's native kerberos module builds against it
  protobuf-compiler # protoc: integration tests check TF Serving config protos with the real compiler
  docker.io         # dockerd for the serving tests and the demo (test/docker/engine-up.sh runs a private one)
  iproute2          # ip: engine-up.sh creates the private engine's bridge
  libprotobuf-dev   # google/protobuf/*.proto for protoc checks of TF Serving's batching config (wrappers)
  docker-registry   # a registry on 127.0.0.1 to test pulling an image with progress
  prometheus        # prometheus + promtool: generated configs checked, a real Prometheus scrapes the stand-in
  wrk               # the load generator `npm run bench` measures the Load Test against
)

log() { echo "[setup] $*"; }
t0=$SECONDS

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then echo "[setup] Node >= 20 is required (found $(node --version 2>/dev/null || echo none))" >&2; exit 1; fi

# --- a maintained Node first: npm ci below builds native modules (ssh2, re2) for the Node that runs it.
bash test/harness/setup-node.sh < /dev/null
node_env=$(node scripts/maintainedNode.js --env); eval "$node_env"

# --- npm dependencies: reinstall when the manifest, the lockfile or the Node (native modules) changed since.
deps_stamp=node_modules/.tfs-setup-stamp
deps_hash=$( (cat package.json package-lock.json 2>/dev/null; node --version) | sha256sum | cut -d' ' -f1)
npm_pid=
if [ ! -d node_modules ] || [ "$(cat "$deps_stamp" 2>/dev/null)" != "$deps_hash" ]; then
  log "npm dependencies: installing (log: .tmp/npm-install.log)"
  mkdir -p .tmp
  # In the background: it needs only the network, while apt and code-server below need the disk and CPU.
  ( if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi \
      && echo "$deps_hash" > "$deps_stamp" ) > .tmp/npm-install.log 2>&1 < /dev/null &
  npm_pid=$!
else
  log "npm dependencies: up to date"
fi

# --- Debian packages: one apt-get update, only when something is missing.
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  log "apt: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" > /dev/null
else
  log "apt: ${APT_PACKAGES[*]} present"
fi

# --- moto's S3 server in .venv-moto/ (conditional writes for the publish race tests).
bash scripts/setup-moto.sh < /dev/null

# --- code-server (a real VS Code), run by that Node 24.
bash test/harness/setup-code-server.sh < /dev/null

# --- the TensorFlow environment in .venv/ (conversions, their tests, the demo).
bash scripts/setup-python.sh < /dev/null

if [ -n "$npm_pid" ]; then
  if ! wait "$npm_pid"; then
    echo "[setup] npm install failed:" >&2; tail -40 .tmp/npm-install.log >&2; exit 1
  fi
  log "npm dependencies: installed"
fi
log "done in $((SECONDS - t0)) s"
