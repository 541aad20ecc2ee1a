#!/usr/bin/env bash
# npm test — everything, in order, stopping at the first failure:
# set-up, build, typecheck, compile tests, unit + integration tests (mocha), extension tests inside a
# real VS Code (code-server), e2e in the workbench, VSIX packaging, and installing that VSIX into code-server.
# Prints how long each phase took; the table is also written to test-results/timings.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

names=(); secs=(); states=()
current=
summary() {
  local code=$?
  if [ -n "$current" ]; then names+=("$current"); secs+=($((SECONDS - phase_start))); states+=("FAILED"); fi
  mkdir -p test-results
  {
    echo
    echo "==================== summary ===================="
    for i in "${!names[@]}"; do printf '%-8s %5ss  %s\n' "${states[$i]}" "${secs[$i]}" "${names[$i]}"; done
    printf '%-8s %5ss  %s\n' "" "$SECONDS" "total"
    if [ "$code" -eq 0 ]; then echo "ALL PASSED"; else echo "FAILED in: $current (exit $code)"; fi
  } | tee test-results/timings.txt
}
trap summary EXIT

phase() {
  local name=$1; shift
  current=$name; phase_start=$SECONDS
  echo
  echo "==> $name: $*"
  "$@"
  names+=("$name"); secs+=($((SECONDS - phase_start))); states+=("ok"); current=
}

phase "setup"                 bash scripts/setup.sh
phase "clean"                 rm -rf out dist test-results tfserving-studio.vsix
phase "build"                 npm run --silent build
phase "typecheck"             npm run --silent typecheck
phase "compile tests"         npm run --silent compile:tests
phase "unit + integration"    npm run --silent test:unit
phase "extension tests"       npm run --silent test:extension
phase "e2e"                   npm run --silent test:e2e
phase "package VSIX"          npm run --silent package
phase "VSIX install test"     npm run --silent test:vsix
phase "npm start check"       bash -c 'node scripts/demo/generateDemo.js && node scripts/demo/serve.js --check'
