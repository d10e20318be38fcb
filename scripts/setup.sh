#!/usr/bin/env bash
# Prepares a machine for gantry's development, tests and examples: pnpm and the
# workspace's dependencies, a running Docker Engine, the local base images and
# a local registry. Every step skips what is already in place.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [[ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]]; then
  echo "setup.sh: installing pnpm $pnpm_version"
  npm install --global --silent "pnpm@$pnpm_version"
fi

pnpm install --frozen-lockfile
bash scripts/test-packages.sh
bash scripts/engine.sh
bash scripts/base-images.sh
bash scripts/registry.sh
pnpm turbo run build --output-logs=errors-only
