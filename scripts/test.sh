#!/usr/bin/env bash
# Runs gantry's whole test suite: sets the machine up, then lints, type-checks,
# packs, tests every package against the real Docker Engine, runs the
# conformance checks, and fails if a test left a container behind.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."

bash scripts/setup.sh

pnpm biome check .
pnpm turbo run typecheck lint:package --output-logs=errors-only

containers_before=$(mktemp)
trap 'rm -f "$containers_before"' EXIT
docker ps -aq --no-trunc >"$containers_before"

pnpm turbo run test --concurrency=1
bash scripts/packaging.sh
bash scripts/conformance.sh
bash scripts/check-leaks.sh "$containers_before"
