#!/usr/bin/env bash
# Installs every Debian package DFQ Studio needs to build, test and run.
# Idempotent: packages already present are skipped; safe to run on every build.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libqcustomplot-dev
  libgl-dev
  libtorch-dev libopenblas0-openmp
  libopencv-dev
  nlohmann-json3-dev libcli11-dev zlib1g-dev libbenchmark-dev
  libonnx-dev libprotobuf-dev protobuf-compiler   # ONNX QDQ export (core/deploy)
  dataset-fashion-mnist
  xvfb xauth imagemagick
  fonts-wqy-microhei   # CJK glyphs for the zh_CN interface (without it Chinese shows as boxes)
)

missing=()
# ONNX Runtime (npm onnxruntime-node, for dfq verify-onnx) needs Node.js and npm; a Node.js that ships
# its own npm (nodesource) conflicts with Debian's npm package, so only ask for them when absent.
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#PKGS[@]} packages present"
fi

# libtorch-dev pulls reference BLAS; OpenBLAS is ~25x faster for matmuls. Make it the libblas.so.3 provider.
arch_triplet=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
alt="/usr/lib/${arch_triplet}/openblas-openmp/libblas.so.3"
if [ -e "$alt" ]; then
  current=$(readlink -f "/usr/lib/${arch_triplet}/libblas.so.3" || true)
  if [ "$current" != "$(readlink -f "$alt")" ]; then
    $SUDO update-alternatives --set "libblas.so.3-${arch_triplet}" "$alt" >/dev/null
    echo "setup: libblas.so.3 -> OpenBLAS"
  fi
fi

# ONNX Runtime (npm) for dfq verify-onnx
bash "$(dirname "$0")/setup-onnxruntime.sh"
