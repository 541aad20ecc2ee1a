#!/bin/sh
# Builds the stand-in tensorflow/serving image offline (no registry): the server under
# test/fixtures/tfserving-standin/server bundled by esbuild into one file, run by this machine's node binary with
# the shared libraries ldd lists, imported with `docker import`. Idempotent: a content hash kept as an image label
# makes a second run a no-op. Needs DOCKER_HOST pointing at a live engine (see engine-up.sh).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/offlineImage.sh"
TAGS=${STANDIN_TAGS:-"latest 2.6.0 2.17.0 latest-gpu 2.17.0-gpu"}
WORK=$REPO/.tmp/standin-image
NODE_BIN=${STANDIN_NODE:-$(command -v node)}
mkdir -p "$WORK"

"$REPO/node_modules/.bin/esbuild" "$REPO/test/fixtures/tfserving-standin/server/main.ts" --bundle --platform=node \
  --target=node18 --outfile="$WORK/tf_serving_entrypoint.js" --log-level=warning
# TF Serving's protos for the warmup reader and the gRPC port, found (like the extension's) as the nearest protos/
# above the bundle: /usr/protos.
HASH=$( (cat "$WORK/tf_serving_entrypoint.js" "$0" "$HERE/offlineImage.sh"; find "$REPO/protos" -type f | sort | xargs cat; "$NODE_BIN" --version) | sha256sum | cut -c1-16)

# shellcheck disable=SC2086
missing=$(missing_tags tfserving-studio.standin-hash tensorflow/serving "$HASH" $TAGS)
if [ -z "$missing" ]; then echo "stand-in image up to date ($HASH)" >&2; exit 0; fi

R=$WORK/rootfs
rm -rf "$R"
mkdir -p "$R/usr/bin" "$R/models" "$R/tmp" "$R/etc"
chmod 1777 "$R/tmp"
cp "$NODE_BIN" "$R/usr/bin/node"
cp "$WORK/tf_serving_entrypoint.js" "$R/usr/bin/tf_serving_entrypoint.js"
cp -R "$REPO/protos" "$R/usr/protos"
copy_libs "$R" "$NODE_BIN"
root_user "$R"
import_tags "$R" tensorflow/serving "stand-in $HASH" "$missing" \
  -c 'ENTRYPOINT ["/usr/bin/node", "/usr/bin/tf_serving_entrypoint.js"]' \
  -c 'ENV MODEL_BASE_PATH=/models' -c 'ENV MODEL_NAME=model' \
  -c 'EXPOSE 8500' -c 'EXPOSE 8501' \
  -c "LABEL tfserving-studio.standin-hash=$HASH"
