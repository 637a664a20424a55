#!/usr/bin/env bash
# The test command: installs what is needed, builds everything, runs the whole CTest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
