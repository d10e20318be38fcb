#!/usr/bin/env bash
# Makes a Docker Engine reachable for development and CI.
#
# Uses DOCKER_HOST or /var/run/docker.sock when either responds. Otherwise, on
# Debian as root, installs Debian's docker.io, starts dockerd in the background
# with its log in $GANTRY_DOCKERD_LOG, and waits until it responds. Running it a
# second time only checks that the engine responds.
set -euo pipefail

log_file=${GANTRY_DOCKERD_LOG:-/var/log/gantry-dockerd.log}
wait_seconds=${GANTRY_ENGINE_WAIT:-60}

engine_responds() {
  docker info --format '{{.ServerVersion}}' >/dev/null 2>&1
}

fail() {
  echo "engine.sh: $*" >&2
  exit 1
}

if command -v docker >/dev/null 2>&1 && engine_responds; then
  echo "engine.sh: Docker Engine $(docker info --format '{{.ServerVersion}}') responds at ${DOCKER_HOST:-unix:///var/run/docker.sock}"
  exit 0
fi

if [[ -n "${DOCKER_HOST:-}" ]]; then
  fail "DOCKER_HOST=$DOCKER_HOST does not respond. Start that engine, or unset DOCKER_HOST to use a local one."
fi

if [[ ! -r /etc/debian_version || $(id -u) -ne 0 ]]; then
  fail "no Docker Engine responds at /var/run/docker.sock. Install Docker Engine (https://docs.docker.com/engine/install/) and start it, or set DOCKER_HOST to a running engine."
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "engine.sh: installing Debian's docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "engine.sh: starting dockerd, log in $log_file"
  mkdir -p "$(dirname "$log_file")"
  setsid nohup dockerd >>"$log_file" 2>&1 </dev/null &
fi

for ((i = 0; i < wait_seconds * 2; i++)); do
  if engine_responds; then
    echo "engine.sh: Docker Engine $(docker info --format '{{.ServerVersion}}') is up"
    exit 0
  fi
  sleep 0.5
done

tail -n 20 "$log_file" >&2 || true
fail "dockerd did not respond within ${wait_seconds}s; its log is $log_file (last lines above)."
