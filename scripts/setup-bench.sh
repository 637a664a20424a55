#!/usr/bin/env bash
# Extra Debian packages for the PyTorch comparisons in bench/ (not needed to build or test).
set -euo pipefail
bash "$(dirname "$0")/setup.sh"
missing=()
for p in python3-torch python3-pil python3-numpy time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
