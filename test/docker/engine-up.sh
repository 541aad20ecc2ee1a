#!/bin/sh
# Starts the project's private Docker engine (Debian docker.io) for the serving integration tests and the demo.
# Prints one line on stdout, `export DOCKER_HOST=unix://…`, so callers can `eval "$(test/docker/engine-up.sh)"`;
# everything else goes to stderr. Idempotent: reuses a live engine, cleans up after one that died hard.
#   TFS_ENGINE_DIR  state folder (default <repo>/.tmp/docker-engine): data-root, exec-root, log, pidfile
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ST=${TFS_ENGINE_DIR:-$REPO/.tmp/docker-engine}
# A bridge and subnet of this engine's own, derived from its state folder: several checkouts on one machine
# (worktrees, CI jobs) each run an engine, and none may touch another's bridge or reuse its addresses.
HASH=$(printf '%s' "$ST" | sha256sum | cut -c1-8)
BRIDGE=tfs$HASH
log() { echo "engine-up: $*" >&2; }
pick_subnet() {
  n=$(( $(printf '%d' "0x$(printf '%s' "$HASH" | cut -c1-2)") % 250 + 2 ))
  i=0
  while [ $i -lt 250 ]; do
    # Skip a 172.31.N.0/24 another interface already holds (another engine's bridge, a VPN…).
    if ! ip -4 -o addr show | grep -q " 172\.31\.$n\."; then echo "172.31.$n.1/24"; return; fi
    n=$(( n % 250 + 2 )); i=$((i + 1))
  done
  echo "engine-up: no free 172.31.N.0/24 subnet for the bridge" >&2; exit 1
}

if ! command -v dockerd >/dev/null 2>&1; then
  log "dockerd missing: installing Debian docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq docker.io >&2
fi
mkdir -p "$ST"

# The socket lives in a short mktemp folder (unix socket paths must stay under 108 bytes); its path is remembered.
sock_ok() { [ -S "$1" ] && DOCKER_HOST="unix://$1" docker version >/dev/null 2>&1; }
if [ -f "$ST/socket-path" ]; then
  SOCK=$(cat "$ST/socket-path")
  if sock_ok "$SOCK"; then
    if ip link show "$BRIDGE" >/dev/null 2>&1; then log "engine already up"; echo "export DOCKER_HOST=unix://$SOCK"; exit 0; fi
    log "engine up but its bridge $BRIDGE is gone: restarting it"
    sh "$HERE/engine-down.sh"
  fi
fi

# Leftovers of a daemon that died hard: its process (if any), pidfiles, socket, netns mount, bridge.
if [ -f "$ST/dockerd.pid" ]; then
  P=$(cat "$ST/dockerd.pid" 2>/dev/null || true)
  if [ -n "$P" ] && kill -0 "$P" 2>/dev/null && grep -q dockerd "/proc/$P/comm" 2>/dev/null; then
    log "stopping unresponsive dockerd $P"; kill -KILL "$P" 2>/dev/null || true; sleep 0.5
  fi
  rm -f "$ST/dockerd.pid"
fi
for P in $(cat "$ST/exec/containerd/containerd.pid" 2>/dev/null || true); do
  grep -q containerd "/proc/$P/comm" 2>/dev/null && kill -KILL "$P" 2>/dev/null || true
done
rm -f "$ST/exec/containerd/containerd.pid"
for M in $(grep -o "$ST/exec/[^ ]*" /proc/mounts 2>/dev/null | sort -r); do umount -l "$M" 2>/dev/null || true; done
[ -f "$ST/socket-path" ] && { rm -rf "$(dirname "$(cat "$ST/socket-path")")"; rm -f "$ST/socket-path"; }

# A fresh bridge each start: a stale one may keep an address from the crashed daemon.
ip link del "$BRIDGE" 2>/dev/null || true
BRIDGE_CIDR=$(pick_subnet)
ip link add "$BRIDGE" type bridge
ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
ip link set "$BRIDGE" up

SOCKDIR=$(mktemp -d /tmp/tfsd.XXXXXX)
SOCK=$SOCKDIR/docker.sock
echo "$SOCK" >"$ST/socket-path"
# No iptables or ip_forward changes: docker-proxy serves -p 127.0.0.1:H:C mappings from userland.
setsid dockerd --storage-driver="${TFS_ENGINE_STORAGE_DRIVER:-overlay2}" \
  --iptables=false --ip-forward=false --ip-masq=false --bridge="$BRIDGE" \
  --data-root "$ST/data" --exec-root "$ST/exec" --pidfile "$ST/dockerd.pid" \
  -H "unix://$SOCK" >"$ST/dockerd.log" 2>&1 </dev/null &
i=0
until sock_ok "$SOCK"; do
  i=$((i + 1))
  # A loaded 2-core machine can take well over 30 s; on failure, stop the half-started daemon so the next
  # start does not find its data folder held.
  if [ $i -gt 1200 ]; then
    log "dockerd did not come up in 120 s; last lines of $ST/dockerd.log:"; tail -20 "$ST/dockerd.log" >&2
    [ -f "$ST/dockerd.pid" ] && kill "$(cat "$ST/dockerd.pid")" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
log "engine up (pid $(cat "$ST/dockerd.pid"), bridge $BRIDGE $BRIDGE_CIDR)"
echo "export DOCKER_HOST=unix://$SOCK"
