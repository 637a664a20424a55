#!/usr/bin/env bash
# Issue 3 experiments on the CIFAR-10 ResNet-20 in ../shared: W8A8 min-max, W4A4 (gdfq) min-max /
# BRECQ / QAT-KD, uniform W4A8 and mixed precision at the size of uniform W4. Real-data calibration =
# the first 1,024 images of train-5k (103 per class in file order, cut to 1,024).
# Usage: bench/experiments/resnet20_quant.sh OUTDIR [which...]   (which: w8a8 w4a4-minmax w4a4-brecq ...)
# Each run writes OUTDIR/<name>.json (the `dfq quantize --json` object) and OUTDIR/<name>.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?output directory}; shift
DFQ=${DFQ:-build/app/cli/dfq}
SHARED=${SHARED:-../shared}
MODEL=$SHARED/models/cifar10/resnet20.pt
CALIB=real:$SHARED/data/cifar10-jpeg/train-5k
TEST=$SHARED/data/cifar10-jpeg/test
BRECQ_ITERS=${BRECQ_ITERS:-2000}
QAT_EPOCHS=${QAT_EPOCHS:-30}
QAT_LR=${QAT_LR:-1e-3}
mkdir -p "$OUT"
run() {
    local name=$1; shift
    echo "== $name: dfq quantize $*" >&2
    "$DFQ" quantize --model "$MODEL" --test "$TEST" --calib-n 1024 --seed 0 --json "$@" \
        >"$OUT/$name.json" 2>"$OUT/$name.log"
    /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sys.argv[2], d['fp32_top1'], d['quant_top1'], round(d['seconds']))" "$OUT/$name.json" "$name"
}
want() { [ $# -eq 0 ] && return 0; return 1; }
ALL=(w8a8-minmax w4a4-minmax w4a4-brecq w4a4-qatkd w4a8-minmax w4mixed-a8-minmax)
SEL=("$@"); [ ${#SEL[@]} -eq 0 ] && SEL=("${ALL[@]}")
for s in "${SEL[@]}"; do
    case $s in
    w8a8-minmax) run $s --calib "$CALIB" --wbits 8 --abits 8 --ptq minmax ;;
    w4a4-minmax) run $s --calib "$CALIB" --wbits 4 --abits 4 --ptq minmax ;;
    w4a4-brecq) run $s --calib "$CALIB" --wbits 4 --abits 4 --ptq brecq --brecq-iters "$BRECQ_ITERS" ;;
    w4a4-qatkd) run $s --calib "$CALIB" --wbits 4 --abits 4 --ptq mse --qat-epochs "$QAT_EPOCHS" --qat-lr "$QAT_LR" ;;
    w4a4-brecq-qatkd) run $s --calib "$CALIB" --wbits 4 --abits 4 --ptq brecq --brecq-iters "$BRECQ_ITERS" --qat-epochs "$QAT_EPOCHS" --qat-lr "$QAT_LR" ;;
    w4a8-minmax) run $s --calib "$CALIB" --wbits 4 --abits 8 --ptq minmax ;;
    w4mixed-a8-minmax) run $s --calib "$CALIB" --wbits 4 --abits 8 --ptq minmax --mp-avg-bits 4 ;;
    *) echo "unknown experiment $s" >&2; exit 2 ;;
    esac
done
