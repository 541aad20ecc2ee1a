#!/usr/bin/env bash
# npm test — everything, in order, stopping at the first failure:
# set-up, build, typecheck, compile tests, unit + integration tests (mocha), extension tests inside a
# real VS Code (code-server), e2e in the workbench, VSIX packaging, installing that VSIX into code-server,
# and the `npm start` demo opened in a browser.
# TFS_KEEP_GOING=1 runs the remaining phases after a failure (the exit status still says it failed).
# Prints how long each phase took; the table is also written to test-results/timings.txt.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

names=(); secs=(); states=(); failed_phases=()
summary() {
  mkdir -p test-results
  {
    echo
    echo "==================== summary ===================="
    for i in "${!names[@]}"; do printf '%-8s %5ss  %s\n' "${states[$i]}" "${secs[$i]}" "${names[$i]}"; done
    printf '%-8s %5ss  %s\n' "" "$SECONDS" "total"
    if [ ${#failed_phases[@]} -eq 0 ]; then echo "ALL PASSED"; else echo "FAILED: ${failed_phases[*]}"; fi
  } | tee test-results/timings.txt
}

phase() {
  local name=$1; shift
  local start=$SECONDS
  echo
  echo "==> $name: $*"
  "$@"
  local code=$?
  names+=("$name"); secs+=($((SECONDS - start)))
  if [ $code -eq 0 ]; then states+=("ok"); return; fi
  states+=("FAILED"); failed_phases+=("$name")
  echo "==> $name FAILED (exit $code)"
  if [ -z "${TFS_KEEP_GOING:-}" ]; then summary; exit 1; fi
}

# The serving tests need a Docker engine with the stand-in tensorflow/serving image: the one DOCKER_HOST
# names if it answers, else the project's private engine, started once here and stopped at the end.
engine_started=
start_engine() {
  if [ -n "${DOCKER_HOST:-}" ] && docker version >/dev/null 2>&1; then
    echo "using the Docker engine at $DOCKER_HOST"
  else
    local out
    out=$(sh test/docker/engine-up.sh) || return 1
    eval "$out"; export DOCKER_HOST; engine_started=1
  fi
  sh test/docker/buildStandinImage.sh
}
stop_engine() { [ -z "$engine_started" ] || sh test/docker/engine-down.sh; }
trap stop_engine EXIT
trap 'exit 130' INT TERM # Ctrl-C still stops the engine

phase "setup"                 bash scripts/setup.sh
[ ${#failed_phases[@]} -eq 0 ] || { summary; exit 1; } # nothing below works without it
# Every later phase on a maintained Node: the machine's, or the Node 24 set-up installed (scripts/maintainedNode.js).
node_env=$(node scripts/maintainedNode.js --env) || { summary; exit 1; }
eval "$node_env"
echo "node: $(node --version) ($(command -v node))"
phase "clean"                 rm -rf out dist test-results tfserving-studio.vsix
phase "build"                 npm run --silent build
phase "typecheck"             npm run --silent typecheck
phase "compile tests"         npm run --silent compile:tests
phase "docker engine"         start_engine
phase "unit + integration"    npm run --silent test:unit
phase "extension tests"       npm run --silent test:extension
phase "e2e"                   npm run --silent test:e2e
phase "npm start check"       bash -c 'node scripts/demo/generateDemo.js && node scripts/demo/serve.js --check'
phase "package VSIX"          npm run --silent package
phase "VSIX install test"     npm run --silent test:vsix
summary
[ ${#failed_phases[@]} -eq 0 ]
