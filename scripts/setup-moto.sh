#!/usr/bin/env bash
# Builds .venv-moto/: moto's S3 server (moto[server] from PyPI), the second S3 test server. Unlike fauxqs it honours
# If-None-Match: * on PutObject and CompleteMultipartUpload, which the race tests of version claims need.
# Idempotent: a stamp holds the pinned requirement; nothing is done when it matches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MOTO_REQUIREMENT='moto[server]==5.2.5'
venv=.venv-moto
stamp=$venv/.tfs-moto-stamp
if [ "$(cat "$stamp" 2>/dev/null)" = "$MOTO_REQUIREMENT" ] && [ -x "$venv/bin/moto_server" ]; then
  echo "[setup] moto S3 server: up to date ($MOTO_REQUIREMENT)"
  exit 0
fi
echo "[setup] moto S3 server: installing $MOTO_REQUIREMENT into $venv"
python3 -m venv "$venv" 2>/dev/null || { rm -rf "$venv"; python3 -m venv --without-pip "$venv" && "$venv/bin/python" -m ensurepip -q; }
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$MOTO_REQUIREMENT"
echo "$MOTO_REQUIREMENT" > "$stamp"
