# Shared by the offline image builders (sourced, POSIX sh): which tags still need building, copying a binary's
# shared libraries into a root filesystem, and importing that filesystem once under every tag.

# missing_tags LABEL IMAGE HASH TAG... — prints the tags whose image lacks LABEL=HASH (absent or older build).
missing_tags() {
  _label=$1 _image=$2 _hash=$3
  shift 3
  _missing=""
  for _t in "$@"; do
    _have=$(docker image inspect -f "{{ index .Config.Labels \"$_label\" }}" "$_image:$_t" 2>/dev/null || true)
    [ "$_have" = "$_hash" ] || _missing="$_missing $_t"
  done
  echo "$_missing"
}

# copy_libs ROOTFS FILE [SKIP] — the dynamic loader and every library FILE links against, at the same paths
# (paths containing SKIP are left out; libraries already copied are kept).
copy_libs() {
  for _lib in $(ldd "$2" 2>/dev/null | grep -o '/[^ ]*' || true); do
    [ -n "${3:-}" ] && case "$_lib" in *"$3"*) continue ;; esac
    [ -e "$1$_lib" ] && continue
    mkdir -p "$1$(dirname "$_lib")"
    cp -L "$_lib" "$1$_lib"
  done
}

# root_user ROOTFS — /etc/passwd and /etc/group with root only.
root_user() {
  echo 'root:x:0:0:root:/root:/usr/sbin/nologin' >"$1/etc/passwd"
  echo 'root:x:0:' >"$1/etc/group"
}

# import_tags ROOTFS IMAGE DESCRIPTION "TAG..." [docker import -c options...] — tars ROOTFS, imports it once as the
# first tag, tags the rest from it, then removes the root filesystem and the tarball.
import_tags() {
  _rootfs=$1 _image=$2 _what=$3 _tags=$4
  shift 4
  tar -C "$_rootfs" -cf "$_rootfs.tar" .
  _first=""
  for _t in $_tags; do
    if [ -z "$_first" ]; then
      docker import "$@" "$_rootfs.tar" "$_image:$_t" >/dev/null
      _first=$_t
    else
      docker tag "$_image:$_first" "$_image:$_t"
    fi
    echo "built $_image:$_t ($_what)" >&2
  done
  rm -rf "$_rootfs" "$_rootfs.tar"
}
