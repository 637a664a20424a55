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
RUNS=${RUNS:-3}
# Alternating, so that a change in the machine's load hits all three alike: dfq (channels-last, BN
# folded), dfq --as-stored (NCHW, BN as stored), PyTorch.
for run in $(seq "$RUNS"); do
  for layout in "" --as-stored; do
    /usr/bin/time -f '{"dfq_peak_rss_kib": %M}' -o /tmp/dfq-eval-rss.json \
      build/app/cli/dfq eval --model "$MODEL" --data "$DATA" --batch 256 --threads "$THREADS" --json $layout
    echo "dfq peak RSS: $(cat /tmp/dfq-eval-rss.json)"
  done
  /usr/bin/python3 bench/python/eval_resnet_cifar.py "$MODEL" "$DATA" --threads "$THREADS" --batch 256
done
