#!/usr/bin/env bash
# Issue 4 experiments on the CIFAR-10 ResNet-20 in ../shared: 1,024 calibration images from each
# source (Gaussian noise, ZeroQ, DSG, IntraQ; real = the first 1,024 of train-5k, as in issue 3),
# their BN divergence, diversity and synthesis time (`dfq synth --json`), then W4A4 / W6A6 (gdfq)
# with min-max and BRECQ calibrated on each (`dfq quantize --json`).
# Usage: bench/experiments/resnet20_synth.sh OUTDIR [step...]
#   steps: synth-<method> | q-<source>-w<bits>-<ptq>, e.g. synth-zeroq q-zeroq-w4-brecq; default: all.
#   (synth-real only measures the real images' statistics; q-real-* calibrates on train-5k directly.)
# Env: ITERS (pixel iterations per batch, default 200), BRECQ_ITERS (default 500).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?output directory}; shift
DFQ=${DFQ:-build/app/cli/dfq}
SHARED=${SHARED:-../shared}
MODEL=$SHARED/models/cifar10/resnet20.pt
TEST=$SHARED/data/cifar10-jpeg/test
ITERS=${ITERS:-200}
BRECQ_ITERS=${BRECQ_ITERS:-500}
mkdir -p "$OUT"
synth() {
    local m=$1 iters=()
    case $m in
    noise) ;;                                                  # no iterations
    real) iters=(--data "$SHARED/data/cifar10-jpeg/train-5k") ;;   # its statistics, for the table
    *) iters=(--iters "$ITERS") ;;
    esac
    echo "== synth $m" >&2
    "$DFQ" synth --model "$MODEL" --method "$m" --n 1024 "${iters[@]}" --seed 0 --out "$OUT/set-$m" --overwrite --json \
        >"$OUT/synth-$m.json" 2>"$OUT/synth-$m.log"
}
quant() {
    local src=$1 bits=$2 ptq=$3 calib
    if [ "$src" = real ]; then calib=real:$SHARED/data/cifar10-jpeg/train-5k; else calib=synth:$OUT/set-$src; fi
    echo "== quantize $src W${bits}A${bits} $ptq" >&2
    "$DFQ" quantize --model "$MODEL" --test "$TEST" --calib "$calib" --calib-n 1024 --wbits "$bits" --abits "$bits" \
        --ptq "$ptq" --brecq-iters "$BRECQ_ITERS" --seed 0 --json >"$OUT/q-$src-w$bits-$ptq.json" 2>"$OUT/q-$src-w$bits-$ptq.log"
}
STEPS=("$@")
if [ ${#STEPS[@]} -eq 0 ]; then
    STEPS=(synth-noise synth-real synth-zeroq synth-dsg synth-intraq synth-genie)
    for ptq in minmax brecq; do for b in 4 6; do for s in noise real zeroq dsg intraq genie; do STEPS+=("q-$s-w$b-$ptq"); done; done; done
fi
for step in "${STEPS[@]}"; do
    case $step in
    synth-*) synth "${step#synth-}" ;;
    q-*) IFS=- read -r _ src wb ptq <<<"$step"; quant "$src" "${wb#w}" "$ptq" ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
    esac
done
