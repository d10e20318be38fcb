#!/usr/bin/env bash
# Fails when the tests left a container behind. Given a file of the container
# ids taken before the tests (`docker ps -aq --no-trunc > FILE`), every
# container not in it counts, labelled or not. Without that file, only
# containers labelled io.gantry.test count, so other projects' are ignored.
set -euo pipefail

before_file=${1:-}
if [[ -n $before_file ]]; then
  left=$(docker ps -aq --no-trunc | grep -vxFf "$before_file" || true)
else
  left=$(docker ps -aq --no-trunc --filter label=io.gantry.test)
fi

if [[ -n "$left" ]]; then
  echo "check-leaks.sh: the tests left these containers behind:" >&2
  for id in $left; do
    docker ps -a --filter "id=$id" --format '{{.ID}} {{.Image}} {{.Command}} {{.Labels}}' >&2
  done
  exit 1
fi
echo "check-leaks.sh: no container left by the tests"
