#!/bin/sh
# Builds, offline, a test image tagged prom/prometheus holding Debian's Prometheus binary: a root file system with
# /bin/prometheus and the shared libraries ldd lists (libc and the loader: it is a Go binary), imported with
# `docker import` under the real image's entrypoint, command, user and port. Idempotent: a content hash kept as an
# image label makes a second run a no-op. Needs DOCKER_HOST pointing at a live engine (see engine-up.sh).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/offlineImage.sh"
TAGS=${PROMETHEUS_IMAGE_TAGS:-latest}
WORK=$REPO/.tmp/prometheus-image

if ! command -v prometheus >/dev/null 2>&1; then
  echo "buildPrometheusImage: installing Debian prometheus" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus >&2
fi
PROM_BIN=$(command -v prometheus)
HASH=$( (sha256sum "$PROM_BIN"; cat "$0" "$HERE/offlineImage.sh") | sha256sum | cut -c1-16)

# shellcheck disable=SC2086
missing=$(missing_tags tfserving-studio.prometheus-image-hash prom/prometheus "$HASH" $TAGS)
if [ -z "$missing" ]; then echo "prometheus test image up to date ($HASH)" >&2; exit 0; fi

mkdir -p "$WORK"
R=$WORK/rootfs
rm -rf "$R"
mkdir -p "$R/bin" "$R/etc/prometheus" "$R/prometheus" "$R/tmp"
chmod 1777 "$R/tmp"
cp "$PROM_BIN" "$R/bin/prometheus"
copy_libs "$R" "$PROM_BIN"
# The real image runs as nobody with its data in /prometheus and a config that scrapes Prometheus itself.
root_user "$R"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >>"$R/etc/passwd"
echo 'nogroup:x:65534:' >>"$R/etc/group"
chown 65534:65534 "$R/prometheus"
cat >"$R/etc/prometheus/prometheus.yml" <<'YML'
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["localhost:9090"]
YML
import_tags "$R" prom/prometheus "Debian $("$PROM_BIN" --version 2>&1 | head -1 | cut -d' ' -f3), $HASH" "$missing" \
  -c 'ENTRYPOINT ["/bin/prometheus"]' \
  -c 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
  -c 'USER nobody' -c 'WORKDIR /prometheus' -c 'EXPOSE 9090' \
  -c "LABEL tfserving-studio.prometheus-image-hash=$HASH"
