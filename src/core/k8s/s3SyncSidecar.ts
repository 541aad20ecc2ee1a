// The S3 sidecar's shell loop. TF Serving picks up any numeric folder it sees, so a version must appear whole:
// each new version is synced into a hidden folder (not a number, so the server ignores it) and renamed into
// place, which is atomic within one emptyDir. Values travel as positional parameters, never spliced into the
// script, so no bucket name can break the quoting.

export interface S3SyncOptions {
  /** s3://bucket/…/model without a trailing slash. */
  readonly sourceUri: string;
  /** The folder the server polls (inside the shared emptyDir). */
  readonly targetDir: string;
  readonly intervalSeconds: number;
}

const SCRIPT = `set -u
src="$1"; dst="$2"; every="$3"
mkdir -p "$dst"
while :; do
  if ! listing=$(aws s3 ls "$src/"); then
    echo "s3-sync: cannot list $src/, retrying in $every s" >&2
    sleep "$every"; continue
  fi
  versions=$(printf '%s\\n' "$listing" | awk '$1 == "PRE" { sub("/$", "", $2); print $2 }' | grep -E '^[0-9]+$' || true)
  for v in $versions; do
    [ -d "$dst/$v" ] && continue
    tmp="$dst/.incoming-$v"
    rm -rf "$tmp"
    if aws s3 sync --only-show-errors "$src/$v" "$tmp" && [ -n "$(ls -A "$tmp" 2>/dev/null)" ]; then
      mv "$tmp" "$dst/$v" && echo "s3-sync: version $v ready"
    else
      rm -rf "$tmp"
      echo "s3-sync: version $v not copied, retrying in $every s" >&2
    fi
  done
  # An empty listing keeps what is served: better stale than a server with nothing to load.
  [ -n "$versions" ] && for d in "$dst"/*; do
    [ -d "$d" ] || continue
    v=\${d##*/}
    case "$v" in *[!0-9]*) continue ;; esac
    case " $(echo $versions) " in
      *" $v "*) ;;
      *) rm -rf "$d" && echo "s3-sync: version $v left the bucket, removed" ;;
    esac
  done
  sleep "$every"
done
`;

/** args for `/bin/sh -c`: the script, then $0 and the positional parameters. */
export function s3SyncArgs(o: S3SyncOptions): string[] {
  return [SCRIPT, 's3-sync', o.sourceUri, o.targetDir, String(Math.max(1, o.intervalSeconds))];
}

export function s3SyncScript(o: S3SyncOptions): string {
  return s3SyncArgs(o)[0];
}
