#!/usr/bin/env bash
# FP32 evaluation throughput: dfq eval vs PyTorch's Python API on the same data and machine.
#   bash bench/eval_throughput.sh [MODEL] [DATA] [THREADS]
# Needs ../shared, a built ./build, and Debian's python3-torch + python3-pil (scripts/setup-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-../shared/models/cifar10/resnet20.pt}
DATA=${2:-../shared/data/cifar10-jpeg/test}
THREADS=${3:-$(nproc)}
echo "# $(date -u +%F) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for run in 1 2; do
  /usr/bin/time -f '{"dfq_peak_rss_mb": %M}' -o /tmp/dfq-eval-rss.json \
    build/app/cli/dfq eval --model "$MODEL" --data "$DATA" --batch 256 --threads "$THREADS" --json
  echo "dfq peak RSS (KiB -> see value/1024): $(cat /tmp/dfq-eval-rss.json)"
  /usr/bin/python3 bench/python/eval_resnet_cifar.py "$MODEL" "$DATA" --threads "$THREADS" --batch 256
done
