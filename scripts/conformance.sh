#!/usr/bin/env bash
# Runs the conformance checks that read shared reference data by path
# (../shared/conformance beside the project root, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

export GANTRY_CONFORMANCE_DIR=${GANTRY_CONFORMANCE_DIR:-$(cd .. && pwd)/shared/conformance}
if [[ ! -d $GANTRY_CONFORMANCE_DIR ]]; then
  echo "conformance.sh: no conformance data at $GANTRY_CONFORMANCE_DIR; set GANTRY_CONFORMANCE_DIR" >&2
  exit 1
fi
for package in packages/*/; do
  if node -e "process.exit(require('./${package}package.json').scripts?.conformance ? 0 : 1)"; then
    pnpm --dir "$package" run conformance
  fi
done
