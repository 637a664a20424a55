#!/usr/bin/env bash
# Issue 14: ResNet-20 (../shared) quantized with BRECQ on a synthetic (DSG) set, exported to ONNX QDQ
# and run in ONNX Runtime on the full CIFAR-10 JPEG test set: ONNX Runtime's top-1 against DFQ
# Studio's simulated top-1, the largest logit difference, the integer operators of the graph ONNX
# Runtime ran, latency and file size; plus the FP32 export for comparison.
# EMBEDDED=1: the same on the embedded default (resources/models/fmnist_resnet8.pt, Debian's
# Fashion-MNIST test set) instead.
# Usage: bench/experiments/resnet20_onnx.sh OUTDIR [step...]
#   steps: synth | q-w<bits>-<preset> (quantize + export + verify) | fp32; default: all.
# Env: N (synthetic images, default 512), ITERS (DSG iterations per batch, 100), BRECQ_ITERS (1000),
#      THREADS (default 2), LATENCY_RUNS (200).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?output directory}; shift
DFQ=${DFQ:-build/app/cli/dfq}
SHARED=${SHARED:-../shared}
MODEL=$SHARED/models/cifar10/resnet20.pt
TEST=$SHARED/data/cifar10-jpeg/test
NAME=resnet20
if [ "${EMBEDDED:-0}" = 1 ]; then
    MODEL=resources/models/fmnist_resnet8.pt
    TEST=/usr/share/datasets/fashion-mnist
    NAME=fmnist_resnet8
fi
N=${N:-512}
ITERS=${ITERS:-100}
BRECQ_ITERS=${BRECQ_ITERS:-1000}
THREADS=${THREADS:-2}
LATENCY_RUNS=${LATENCY_RUNS:-200}
mkdir -p "$OUT"
verify() {   # FILE NAME [--quantized DIR]
    local file=$1 name=$2; shift 2
    "$DFQ" verify-onnx "$file" --model "$MODEL" "$@" --data "$TEST" --threads "$THREADS" \
        --latency "$LATENCY_RUNS" --latency-batch 1 --report "$OUT/verify-$name.json" | tee "$OUT/verify-$name.txt"
}
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(synth fp32 q-w8-gdfq q-w8-f8l8 q-w4-gdfq q-w4-f8l8)
for step in "${STEPS[@]}"; do
    case $step in
    synth)
        echo "== synth dsg $N" >&2
        "$DFQ" synth --model "$MODEL" --method dsg --n "$N" --iters "$ITERS" --seed 0 --out "$OUT/set-dsg" --overwrite \
            --threads "$THREADS" --json >"$OUT/synth-dsg.json" 2>"$OUT/synth-dsg.log" ;;
    fp32)
        "$DFQ" export --model "$MODEL" --out "$OUT/$NAME-fp32.onnx" | tee "$OUT/export-fp32.txt"
        verify "$OUT/$NAME-fp32.onnx" fp32 ;;
    q-*)
        IFS=- read -r _ wb preset <<<"$step"
        bits=${wb#w}
        name=w${bits}a${bits}-$preset
        echo "== quantize $name (BRECQ $BRECQ_ITERS it/block, BN folded)" >&2
        rm -rf "$OUT/q-$name"
        "$DFQ" quantize --model "$MODEL" --test "$TEST" --calib "synth:$OUT/set-dsg" --calib-n "$N" --wbits "$bits" \
            --abits "$bits" --preset "$preset" --fold-bn --ptq brecq --brecq-iters "$BRECQ_ITERS" --seed 0 \
            --threads "$THREADS" --out "$OUT/q-$name" --json >"$OUT/q-$name.json" 2>"$OUT/q-$name.log"
        "$DFQ" export --model "$MODEL" --quantized "$OUT/q-$name" --out "$OUT/$NAME-$name.onnx" | tee "$OUT/export-$name.txt"
        verify "$OUT/$NAME-$name.onnx" "$name" --quantized "$OUT/q-$name" ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
    esac
done
