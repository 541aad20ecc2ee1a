#!/bin/sh
# Builds, offline, a test image tagged prom/prometheus holding Debian's Prometheus binary: a root file system with
# /bin/prometheus and the shared libraries ldd lists (libc and the loader: it is a Go binary), imported with
# `docker import` under the real image's entrypoint, command, user and port. Idempotent: a content hash kept as an
# image label makes a second run a no-op. Needs DOCKER_HOST pointing at a live engine (see engine-up.sh).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TAGS=${PROMETHEUS_IMAGE_TAGS:-latest}
WORK=$REPO/.tmp/prometheus-image

if ! command -v prometheus >/dev/null 2>&1; then
  echo "buildPrometheusImage: installing Debian prometheus" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus >&2
fi
PROM_BIN=$(command -v prometheus)
HASH=$( (sha256sum "$PROM_BIN"; cat "$0") | sha256sum | cut -c1-16)

missing=""
for t in $TAGS; do
  have=$(docker image inspect -f '{{ index .Config.Labels "tfserving-studio.prometheus-image-hash" }}' "prom/prometheus:$t" 2>/dev/null || true)
  [ "$have" = "$HASH" ] || missing="$missing $t"
done
if [ -z "$missing" ]; then echo "prometheus test image up to date ($HASH)" >&2; exit 0; fi

mkdir -p "$WORK"
R=$WORK/rootfs
rm -rf "$R"
mkdir -p "$R/bin" "$R/etc/prometheus" "$R/prometheus" "$R/tmp"
chmod 1777 "$R/tmp"
cp "$PROM_BIN" "$R/bin/prometheus"
for lib in $(ldd "$PROM_BIN" 2>/dev/null | grep -o '/[^ ]*' || true); do
  mkdir -p "$R$(dirname "$lib")"
  cp -L "$lib" "$R$lib"
done
# The real image runs as nobody with its data in /prometheus and a config that scrapes Prometheus itself.
echo 'root:x:0:0:root:/root:/usr/sbin/nologin' >"$R/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >>"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
chown 65534:65534 "$R/prometheus"
cat >"$R/etc/prometheus/prometheus.yml" <<'YML'
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["localhost:9090"]
YML
tar -C "$R" -cf "$WORK/rootfs.tar" .
first=""
for t in $missing; do
  if [ -z "$first" ]; then
    docker import \
      -c 'ENTRYPOINT ["/bin/prometheus"]' \
      -c 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
      -c 'USER nobody' -c 'WORKDIR /prometheus' -c 'EXPOSE 9090' \
      -c "LABEL tfserving-studio.prometheus-image-hash=$HASH" \
      "$WORK/rootfs.tar" "prom/prometheus:$t" >/dev/null
    first=$t
  else
    docker tag "prom/prometheus:$first" "prom/prometheus:$t"
  fi
  echo "built prom/prometheus:$t (Debian $("$PROM_BIN" --version 2>&1 | head -1 | cut -d' ' -f3), $HASH)" >&2
done
rm -rf "$R" "$WORK/rootfs.tar"
