#!/usr/bin/env bash
# Creates the base images that examples and tests build on, since no registry
# can be reached here: debian:bookworm (debootstrap minbase, imported) and
# busybox:latest (Debian's busybox-static). An image that exists is skipped.
set -euo pipefail

work_dir=${GANTRY_IMAGE_WORK_DIR:-/var/tmp/gantry-base-images}
debian_mirror=${GANTRY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
default_path=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

image_exists() {
  docker image inspect "$1" >/dev/null 2>&1
}

install_packages() {
  local missing=()
  for command_and_package in "$@"; do
    local command=${command_and_package%%:*} package=${command_and_package##*:}
    [[ -e $command ]] || command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "base-images.sh: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Imports a root file system folder as an image with the config a user gets
# from the registry's image of the same name.
import_rootfs() {
  local rootfs=$1 name=$2 cmd=$3
  tar --numeric-owner -C "$rootfs" -c . |
    docker import --change "ENV $default_path" --change "CMD $cmd" - "$name" >/dev/null
  echo "base-images.sh: created $name"
}

make_debian() {
  image_exists debian:bookworm && return 0
  install_packages debootstrap:debootstrap
  local rootfs=$work_dir/debian-bookworm
  rm -rf "$rootfs"
  echo "base-images.sh: debootstrap bookworm into $rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$debian_mirror" >"$work_dir/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work_dir/debootstrap.log" >&2; exit 1; }
  # Keep the image lean like the registry's: no package lists or caches.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  import_rootfs "$rootfs" debian:bookworm '["bash"]'
  rm -rf "$rootfs"
}

make_busybox() {
  image_exists busybox:latest && return 0
  install_packages /bin/busybox:busybox-static
  local rootfs=$work_dir/busybox
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,etc,root,tmp,var,home,dev,proc,sys,usr/bin,usr/sbin,sbin}
  cp /bin/busybox "$rootfs/bin/busybox"
  chroot "$rootfs" /bin/busybox --install -s
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  import_rootfs "$rootfs" busybox:latest '["sh"]'
  rm -rf "$rootfs"
}

mkdir -p "$work_dir"
make_busybox
make_debian
docker image ls --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' busybox:latest
docker image ls --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' debian:bookworm
