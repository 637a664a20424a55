#!/usr/bin/env bash
# The main job on the embedded default (Fashion-MNIST reference model): the GUI when a display is
# available, otherwise the same job headless through the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/app/studio/dfq-studio ]; then
  exec build/app/studio/dfq-studio "$@"
fi
echo "run.sh: no display available (DISPLAY and WAYLAND_DISPLAY are unset): running the same job headless with the CLI." >&2
if [ -f examples/fmnist-default.json ] && build/app/cli/dfq run --help >/dev/null 2>&1; then
  exec build/app/cli/dfq run examples/fmnist-default.json "$@"
fi
exec build/app/cli/dfq eval "$@"
