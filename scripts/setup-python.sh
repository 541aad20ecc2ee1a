#!/usr/bin/env bash
# Builds the project's TensorFlow environment in .venv/ (git-ignored) from scripts/python/requirements.txt, with the
# machine's `python3 -m venv`. Idempotent: a stamp holds the hash of the requirements and of the Python that built
# it, so nothing is reinstalled when neither changed. Conversions, the decoder oracle tests, the zoo of test models
# and the demo's tfServing.convert.pythonPath all use .venv/bin/python.
# Fails (exit 1) with the reason and what to do when the environment cannot be built: the tests that need
# TensorFlow must never pass or skip without it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
REQUIREMENTS=scripts/python/requirements.txt
STAMP=$VENV/.tfs-requirements-stamp
LOG=.tmp/python-setup.log
PYTHON=${TFSS_SETUP_PYTHON:-python3}

log() { echo "[setup] $*"; }
logging= # set once this run writes the log, so a failure never shows an older run's lines
fail() {
  {
    echo "[setup] The TensorFlow environment ($VENV) could not be built: $1"
    echo "[setup] What to do: $2"
    echo "[setup] Conversions, their tests and the demo's conversions need it; nothing that needs TensorFlow runs without it."
    [ -z "$logging" ] || [ ! -s "$LOG" ] || { echo "[setup] Last lines of $LOG:"; tail -15 "$LOG"; }
  } >&2
  exit 1
}

command -v "$PYTHON" >/dev/null 2>&1 || fail "there is no $PYTHON on PATH." "install Python 3.10-3.13 (Debian: apt-get install python3 python3-venv)."
py_version=$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
case "$py_version" in
  3.1[0-3].*) ;;
  *) fail "TensorFlow 2.21 needs Python 3.10 to 3.13; $PYTHON is $py_version." "put a Python 3.10-3.13 first on PATH (or set TFSS_SETUP_PYTHON) and run npm run setup again." ;;
esac

want=$( { sha256sum "$REQUIREMENTS" | cut -d' ' -f1; command -v "$PYTHON"; echo "$py_version"; } | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  log "python: $VENV up to date (TensorFlow environment)"
  exit 0
fi

mkdir -p .tmp
: > "$LOG"
logging=1
t0=$SECONDS
log "python: building $VENV with $PYTHON $py_version and $REQUIREMENTS (log: $LOG)"
rm -f "$STAMP"
"$PYTHON" -m venv --clear "$VENV" >> "$LOG" 2>&1 \
  || fail "\`$PYTHON -m venv\` failed (Debian splits it out: the python3-venv package)." "apt-get install python3-venv (or use a Python that has venv and ensurepip), then npm run setup."
# --no-deps: the file pins every package (see its header); pip must not add the full `tensorflow` for the serving API.
"$VENV/bin/python" -m pip install --no-deps --no-input --progress-bar off -r "$REQUIREMENTS" >> "$LOG" 2>&1 \
  || fail "pip could not install $REQUIREMENTS." "check that pip reaches the package index (\`pip config list\`, proxy settings) and that the pinned versions exist for Python $py_version; then npm run setup."
"$VENV/bin/python" - >> "$LOG" 2>&1 <<'PY' || fail "the installed packages do not import." "read $LOG; delete $VENV and run npm run setup again."
import tensorflow as tf
import keras
import numpy
from ai_edge_litert.interpreter import Interpreter
from tensorflow_serving.apis import predict_pb2, prediction_service_pb2_grpc
print("imports ok: tensorflow", tf.__version__, "keras", keras.__version__, "numpy", numpy.__version__)
PY
echo "$want" > "$STAMP"
log "python: $VENV built in $((SECONDS - t0)) s, $(du -sh "$VENV" | cut -f1) on disk"
