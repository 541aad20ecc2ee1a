#!/bin/sh
# Builds a REAL tensorflow/tensorflow:<version> image offline (no registry) from the project's .venv: the venv's
# base python3 with its standard library, the venv's site-packages (tensorflow-cpu, ai-edge-litert, numpy… exactly
# as pinned in scripts/python/requirements.txt) on PYTHONPATH, and every shared library ldd lists. The tag is the
# venv's TensorFlow version, so `--runner docker` runs the same TensorFlow as the local runner.
# Left out: C++ headers (tensorflow/include), libclang, pip and setuptools, which nothing imports at run time.
# Imported with `docker import`; a content hash kept as an image label makes a second run a no-op.
# Needs DOCKER_HOST pointing at a live engine (see engine-up.sh) and the venv (npm run setup).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/offlineImage.sh"
VENV_PY=${TF_REAL_PYTHON:-$REPO/.venv/bin/python}
[ -x "$VENV_PY" ] || { echo "buildTensorflowRealImage: $VENV_PY missing: run npm run setup (it builds .venv)" >&2; exit 1; }
# One call for every path the image needs: the base interpreter, its standard library, the venv's site-packages.
eval "$("$VENV_PY" - <<'EOF'
import os, sys, sysconfig
from importlib.metadata import version
base = sys._base_executable if hasattr(sys, '_base_executable') else sys.executable
print(f'PY={os.path.realpath(base)!s}')
print(f'PYVER={sys.version_info[0]}.{sys.version_info[1]}')
print(f'STDLIB={sysconfig.get_paths()["stdlib"]}')
print(f'SITE={sysconfig.get_paths()["purelib"]}')
print(f'TF_VERSION={version("tensorflow-cpu")}')  # read from its metadata: importing TensorFlow takes seconds
EOF
)"
TAG=${TF_REAL_TAG:-$TF_VERSION}
HASH=$( (cat "$REPO/scripts/python/requirements.txt" "$0" "$HERE/offlineImage.sh"; "$PY" --version; ls "$SITE" | sort) | sha256sum | cut -c1-16)

missing=$(missing_tags tfserving-studio.tf-real-hash tensorflow/tensorflow "$HASH" "$TAG")
if [ -z "$missing" ]; then echo "tensorflow image up to date (TensorFlow $TF_VERSION, $HASH)" >&2; exit 0; fi

WORK=$REPO/.tmp/tensorflow-real-image
R=$WORK/rootfs
rm -rf "$WORK"
mkdir -p "$R/usr/bin" "$R/tmp" "$R/etc" "$R/opt/tensorflow-site" "$R$(dirname "$STDLIB")"
chmod 1777 "$R/tmp"
mkdir -p "$R$(dirname "$PY")"
cp "$PY" "$R$PY"
ln -s "$PY" "$R/usr/bin/python3"
# The interpreter finds its standard library from its own path, so both keep the paths they have here.
tar -C "$(dirname "$STDLIB")" --exclude="$(basename "$STDLIB")/test" --exclude='__pycache__' --exclude='site-packages' \
  --exclude='dist-packages' --exclude='idlelib' --exclude='tkinter' --exclude='ensurepip' -cf - "$(basename "$STDLIB")" \
  | tar -C "$R$(dirname "$STDLIB")" -xf -
tar -C "$SITE" --exclude='./tensorflow/include' --exclude='./clang' --exclude='./pip' --exclude='./pip-*' \
  --exclude='./setuptools' --exclude='./setuptools-*' --exclude='./pkg_resources' --exclude='./_distutils_hack' -cf - . \
  | tar -C "$R/opt/tensorflow-site" -xf -
# Libraries the interpreter, its extension modules and the wheels' .so files link against; those the wheels ship
# themselves (found through their RPATH inside site-packages) are already in place.
for f in "$PY" "$STDLIB"/lib-dynload/*.so $(find "$SITE" -name '*.so*' -type f); do copy_libs "$R" "$f" "$SITE"; done
root_user "$R"
import_tags "$R" tensorflow/tensorflow "TensorFlow $TF_VERSION from .venv, $HASH" "$missing" \
  -c 'ENV PYTHONPATH=/opt/tensorflow-site' -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  -c 'CMD ["python3"]' \
  -c "LABEL tfserving-studio.tf-real-hash=$HASH"
rm -rf "$WORK"
