#!/usr/bin/env bash
# Sets the machine up, then runs the main job: for now the engine tour, which
# runs a container, copies files into it, commits an image and runs that image,
# all through @gantry/daemon.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."

bash scripts/setup.sh
pnpm --filter @gantry/example-engine-tour start
