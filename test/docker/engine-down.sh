#!/bin/sh
# Stops the private engine started by engine-up.sh and removes what it leaves behind.
# PURGE=1 also deletes its state (images, containers).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ST=${TFS_ENGINE_DIR:-$REPO/.tmp/docker-engine}
BRIDGE=tfs$(printf '%s' "$ST" | sha256sum | cut -c1-8)   # as engine-up.sh derives it
SOCK=$(cat "$ST/socket-path" 2>/dev/null || true)
P=$(cat "$ST/dockerd.pid" 2>/dev/null || true)
if [ -n "$P" ] && kill -0 "$P" 2>/dev/null && grep -q dockerd "/proc/$P/comm" 2>/dev/null; then
  if [ -n "$SOCK" ]; then
    # Containers first, so no shim or docker-proxy outlives the daemon.
    ids=$(DOCKER_HOST="unix://$SOCK" docker ps -aq 2>/dev/null || true)
    [ -n "$ids" ] && DOCKER_HOST="unix://$SOCK" docker rm -f $ids >/dev/null 2>&1
  fi
  kill -TERM "$P"
  i=0
  while kill -0 "$P" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 150 ] && { kill -KILL "$P" 2>/dev/null; break; }; sleep 0.1
  done
  echo "engine-down: dockerd $P stopped" >&2
fi
rm -f "$ST/dockerd.pid"
for M in $(grep -o "$ST/exec/[^ ]*" /proc/mounts 2>/dev/null | sort -r); do umount -l "$M" 2>/dev/null || true; done
ip link del "$BRIDGE" 2>/dev/null || true
[ -n "$SOCK" ] && rm -rf "$(dirname "$SOCK")"
rm -f "$ST/socket-path"
[ "${PURGE:-0}" = 1 ] && rm -rf "$ST" && echo "engine-down: purged $ST" >&2
exit 0
