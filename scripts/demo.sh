#!/usr/bin/env bash
# Sets the machine up, then runs the main job: `gantry build -t temp-ubuntu
# examples/seed`, which builds the seed example on the Docker Engine with the
# classic builder's log. It then starts the image once, fetches the site it
# serves, and removes that container.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."

bash scripts/setup.sh

gantry() {
  apps/cli/dist/bundle/gantry "$@"
}

gantry build -t temp-ubuntu examples/seed

container=$(docker run -d -p 127.0.0.1::8080 temp-ubuntu)
trap 'docker rm -f "$container" >/dev/null' EXIT
address=$(docker port "$container" 8080/tcp | head -n 1)
for ((i = 0; i < 50; i++)); do
  if page=$(curl -fsS "http://$address/" 2>/dev/null); then
    echo
    echo "temp-ubuntu serves http://$address/: $(grep -o '<title>[^<]*</title>' <<<"$page")"
    exit 0
  fi
  sleep 0.2
done
echo "demo.sh: temp-ubuntu did not serve http://$address/ within 10s" >&2
docker logs "$container" >&2
exit 1
