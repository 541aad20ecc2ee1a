#!/usr/bin/env bash
# npm start — set up, build, create the demo workspace (.demo/) and serve VS Code with the extension on
# http://127.0.0.1:8080 (or the next free port). Ctrl-C stops it.
#   npm start -- --reset      recreate the demo models
#   npm start -- --port=9000  another first port to try
#   npm start -- --check      verify in headless Chromium instead of serving (used by npm test)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run --silent build
node scripts/demo/generateDemo.js $([[ " $* " == *" --reset "* ]] && echo --reset)
exec node scripts/demo/serve.js "$@"
