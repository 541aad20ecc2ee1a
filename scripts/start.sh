#!/usr/bin/env bash
# npm start — set up, build, create the demo workspace (.demo/), start the project's private Docker engine
# with the stand-in tensorflow/serving image (for the Serving view), and serve VS Code with the extension on
# http://127.0.0.1:8080 (or the next free port). Ctrl-C stops everything it started.
#   npm start -- --reset      recreate the demo models
#   npm start -- --port=9000  another first port to try
#   npm start -- --check      verify in headless Chromium instead of serving
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# A maintained Node from here on: the machine's, or the Node 24 set-up installed (scripts/maintainedNode.js).
node_env=$(node scripts/maintainedNode.js --env); eval "$node_env"
npm run --silent build
node scripts/demo/generateDemo.js $([[ " $* " == *" --reset "* ]] && echo --reset)

engine_started=
if docker version >/dev/null 2>&1; then
  # The machine's own engine (DOCKER_HOST, the docker context or the default socket) answers: use it.
  echo "[start] using the machine's Docker engine${DOCKER_HOST:+ at $DOCKER_HOST}"
elif out=$(sh test/docker/engine-up.sh); then
  eval "$out"; export DOCKER_HOST; engine_started=1
else
  echo "[start] no Docker engine: the Serving view will say so (the Models view works without one)" >&2
fi
if docker version >/dev/null 2>&1; then
  # Never overwrite a real tensorflow/serving image on the user's engine with the test stand-in.
  if [ -n "$engine_started" ] || ! docker image inspect tensorflow/serving:latest >/dev/null 2>&1; then
    sh test/docker/buildStandinImage.sh || echo "[start] the stand-in tensorflow/serving image could not be built" >&2
  fi
fi
stop_engine() { [ -z "$engine_started" ] || sh test/docker/engine-down.sh; }
trap stop_engine EXIT
trap 'exit 130' INT TERM # run the EXIT trap on Ctrl-C too

node scripts/demo/serve.js "$@"
