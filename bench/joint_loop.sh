#!/usr/bin/env bash
# The generator-student loop, dfq vs plain PyTorch, alternating (ROUNDS, default 3): GDFQ on ResNet-20,
# batch 128, W4A4 gdfq placement, the paper's generator (width 128, latent 100), 2 threads. PyTorch runs
# with the same glibc malloc thresholds dfq sets at start-up (runtime::configureAllocator).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-../shared/models/cifar10/resnet20.pt}
ROUNDS=${ROUNDS:-3}
ITERS=${ITERS:-10}
for r in $(seq "$ROUNDS"); do
  build/bench/bench_joint_loop "$MODEL" --batch 128 --iters "$ITERS" --warmup 2 --threads 2
  GLIBC_TUNABLES=glibc.malloc.trim_threshold=536870912:glibc.malloc.mmap_threshold=33554432 \
    /usr/bin/python3 bench/python/joint_loop.py "$MODEL" --batch 128 --iters "$ITERS" --warmup 2 --threads 2 2>/dev/null
done
