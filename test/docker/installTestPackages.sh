#!/bin/sh
# Debian packages the serving tests need, installed only when missing (idempotent, safe to run on every setup):
#   docker.io        private dockerd for the integration tests (engine-up.sh also installs it on demand)
#   protobuf-compiler + libprotobuf-dev   real protoc and google/protobuf/*.proto for the config-file checks
#   docker-registry  a local registry on 127.0.0.1, to test pulling an image with progress
set -eu
need=""
command -v dockerd >/dev/null 2>&1 || need="$need docker.io"
command -v protoc >/dev/null 2>&1 || need="$need protobuf-compiler"
[ -f /usr/include/google/protobuf/wrappers.proto ] || need="$need libprotobuf-dev"
command -v docker-registry >/dev/null 2>&1 || need="$need docker-registry"
if [ -n "$need" ]; then
  echo "installing:$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  # shellcheck disable=SC2086
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq $need >&2
fi
