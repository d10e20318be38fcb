#!/usr/bin/env bash
# Fails when a test left a container behind. Every container the tests create
# carries the label io.gantry.test, so containers of other projects are ignored.
set -euo pipefail

left=$(docker ps -aq --filter label=io.gantry.test)
if [[ -n "$left" ]]; then
  echo "check-leaks.sh: tests left these containers behind:" >&2
  docker ps -a --filter label=io.gantry.test --format '{{.ID}} {{.Image}} {{.Labels}}' >&2
  exit 1
fi
echo "check-leaks.sh: no container left by the tests"
