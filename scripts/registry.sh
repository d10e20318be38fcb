#!/usr/bin/env bash
# Starts a local image registry on 127.0.0.1:5000 (Debian's docker-registry)
# for pull and push tests. The engine trusts registries on loopback without
# TLS. Running it a second time only checks that the registry responds.
set -euo pipefail

address=${GANTRY_REGISTRY_ADDRESS:-127.0.0.1:5000}
root_dir=${GANTRY_REGISTRY_DIR:-/var/tmp/gantry-registry}
log_file=$root_dir/registry.log

registry_responds() {
  curl -fsS "http://$address/v2/" >/dev/null 2>&1
}

if registry_responds; then
  echo "registry.sh: registry responds at $address"
  exit 0
fi

if ! command -v docker-registry >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "registry.sh: docker-registry is missing; install it (Debian: apt-get install docker-registry)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
fi

mkdir -p "$root_dir/data"
cat >"$root_dir/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $root_dir/data
  delete:
    enabled: true
http:
  addr: $address
CONFIG

setsid nohup docker-registry serve "$root_dir/config.yml" >>"$log_file" 2>&1 </dev/null &
for ((i = 0; i < 60; i++)); do
  if registry_responds; then
    echo "registry.sh: registry started at $address, data in $root_dir/data"
    exit 0
  fi
  sleep 0.5
done
tail -n 20 "$log_file" >&2 || true
echo "registry.sh: registry did not respond at $address within 30s; its log is $log_file" >&2
exit 1
