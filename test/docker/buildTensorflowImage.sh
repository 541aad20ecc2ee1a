#!/bin/sh
# Builds a stand-in tensorflow/tensorflow:2.17.0-gpu image offline (no registry) for the TF-TRT tests of the Docker
# runner: Debian's python3 with its standard library and the shared libraries ldd lists, plus the stand-in
# `tensorflow` package from test/fixtures/fake-tensorflow on PYTHONPATH. NOT TensorFlow: it records converter calls.
# Only TF-TRT, which needs an NVIDIA GPU, uses it; TFLite runs in the real image of buildTensorflowRealImage.sh.
# Imported with `docker import`; a content hash kept as an image label makes a second run a no-op.
# Needs DOCKER_HOST pointing at a live engine (see engine-up.sh) and /usr/bin/python3 (Debian python3).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/offlineImage.sh"
TAGS=${TF_STANDIN_TAGS:-"2.17.0-gpu"}
WORK=$REPO/.tmp/tensorflow-standin-image
PY=$(readlink -f "${TF_STANDIN_PYTHON:-/usr/bin/python3}")
if [ ! -x "$PY" ]; then
  echo "buildTensorflowImage: $PY missing: installing Debian python3" >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq python3 >&2
  PY=$(readlink -f /usr/bin/python3)
fi
PYVER=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
STDLIB=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
FAKE=$REPO/test/fixtures/fake-tensorflow
# numpy reads representative datasets (as in real TensorFlow images): taken from the first of Debian's python3 or
# the python3 on PATH that has it (Debian: apt-get install python3-numpy). Same CPython minor version required.
NUMPY_DIR=""
for cand in "$PY" "$(command -v python3 || true)"; do
  [ -n "$cand" ] || continue
  v=$("$cand" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
  [ "$v" = "$PYVER" ] || continue
  NUMPY_DIR=$("$cand" -c 'import numpy, os; print(os.path.dirname(numpy.__file__))' 2>/dev/null || true)
  [ -n "$NUMPY_DIR" ] && break
done
[ -n "$NUMPY_DIR" ] || echo "buildTensorflowImage: no numpy for Python $PYVER: the image cannot read representative datasets (apt-get install python3-numpy)" >&2
HASH=$( (find "$FAKE" -type f -name '*.py' | sort | xargs cat; cat "$0" "$HERE/offlineImage.sh"; "$PY" --version; echo "$NUMPY_DIR") | sha256sum | cut -c1-16)

# shellcheck disable=SC2086
missing=$(missing_tags tfserving-studio.tf-standin-hash tensorflow/tensorflow "$HASH" $TAGS)
if [ -z "$missing" ]; then echo "tensorflow stand-in image up to date ($HASH)" >&2; exit 0; fi

R=$WORK/rootfs
rm -rf "$R"
mkdir -p "$R/usr/bin" "$R/tmp" "$R/etc" "$R/opt/fake-tensorflow" "$R$(dirname "$STDLIB")"
chmod 1777 "$R/tmp"
cp "$PY" "$R/usr/bin/python$PYVER"
ln -s "python$PYVER" "$R/usr/bin/python3"
# The standard library without its tests and caches; extension modules keep their own library dependencies.
tar -C "$(dirname "$STDLIB")" --exclude="$(basename "$STDLIB")/test" --exclude='__pycache__' --exclude='dist-packages' \
  --exclude='site-packages' --exclude='idlelib' --exclude='tkinter' --exclude='ensurepip' -cf - "$(basename "$STDLIB")" | tar -C "$R$(dirname "$STDLIB")" -xf -
for f in "$PY" "$STDLIB"/lib-dynload/*.so; do copy_libs "$R" "$f"; done
cp -r "$FAKE/tensorflow" "$R/opt/fake-tensorflow/"
if [ -n "$NUMPY_DIR" ]; then
  mkdir -p "$R/opt/python-site"
  cp -r "$NUMPY_DIR" "$R/opt/python-site/"
  [ -d "$NUMPY_DIR.libs" ] && cp -r "$NUMPY_DIR.libs" "$R/opt/python-site/"
  find "$R/opt/python-site" -name '__pycache__' -prune -exec rm -rf {} +
  rm -rf "$R/opt/python-site/numpy/tests" "$R/opt/python-site/numpy/"*/tests
  for f in $(find "$NUMPY_DIR" "$NUMPY_DIR.libs" -name '*.so*' 2>/dev/null); do copy_libs "$R" "$f" "$NUMPY_DIR"; done
fi
root_user "$R"
import_tags "$R" tensorflow/tensorflow "stand-in $HASH" "$missing" \
  -c 'ENV PYTHONPATH=/opt/fake-tensorflow:/opt/python-site' -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  -c 'CMD ["python3"]' \
  -c "LABEL tfserving-studio.tf-standin-hash=$HASH"
