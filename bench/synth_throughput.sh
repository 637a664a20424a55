#!/usr/bin/env bash
# Synthesis throughput (ZeroQ loop, batch 64): dfq channels-last, dfq NCHW and plain PyTorch,
# alternating round by round so that a change in the machine's load hits all three alike.
#   ROUNDS=5 ITERS=100 bash bench/synth_throughput.sh [MODEL] [THREADS]
# Needs ../shared, a built ./build, and Debian's python3-torch (scripts/setup-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-../shared/models/cifar10/resnet20.pt}
THREADS=${2:-$(nproc)}
ROUNDS=${ROUNDS:-5}
ITERS=${ITERS:-100}
echo "# $(date -u '+%F %T') $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for round in $(seq "$ROUNDS"); do
  for cl in 1 0; do
    echo "# round $round dfq channels_last=$cl"
    build/bench/bench_synth_throughput "$MODEL" --iters "$ITERS" --threads "$THREADS" --channels-last "$cl" | tail -1
  done
  echo "# round $round pytorch"
  /usr/bin/python3 bench/python/zeroq_throughput.py "$MODEL" --iters "$ITERS" --threads "$THREADS" | tail -1
done
