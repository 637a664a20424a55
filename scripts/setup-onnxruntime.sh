#!/usr/bin/env bash
# Installs ONNX Runtime's Node.js binding (npm onnxruntime-node, pinned by resources/ort/package-lock.json)
# into resources/ort/node_modules, for `dfq verify-onnx`. --ignore-scripts: the package's post-install
# step downloads GPU libraries we neither need nor can reach; its bundled CPU library is what we use.
# Idempotent; called by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=resources/ort
if ! command -v npm >/dev/null 2>&1; then
  echo "setup-onnxruntime: npm is not installed: run 'bash scripts/setup.sh' first" >&2
  exit 1
fi
probe="require('$PWD/$dir/node_modules/onnxruntime-node')"
if node -e "$probe" >/dev/null 2>&1; then
  echo "setup-onnxruntime: onnxruntime-node present"
  exit 0
fi
echo "setup-onnxruntime: installing onnxruntime-node into $dir/node_modules"
npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
node -e "$probe; console.log('setup-onnxruntime: ONNX Runtime ' + require('$PWD/$dir/node_modules/onnxruntime-node').env.versions.common)"
