#!/usr/bin/env bash
# FP32 evaluation throughput: dfq eval vs PyTorch's Python API on the same data and machine, measured
# two ways for both: inference alone on tensors decoded beforehand, and end to end from the JPEG files
# (listing + decoding on THREADS threads + inference).
#   bash bench/eval_throughput.sh [MODEL] [DATA] [THREADS]
# Needs ../shared, a built ./build, and Debian's python3-torch + python3-pil (scripts/setup-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-../shared/models/cifar10/resnet20.pt}
DATA=${2:-../shared/data/cifar10-jpeg/test}
THREADS=${3:-$(nproc)}
echo "# $(date -u +%F) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $THREADS threads"
RUNS=${RUNS:-3}
OUT=$(mktemp)
trap 'rm -f "$OUT" /tmp/dfq-eval-rss.json' EXIT
# Alternating, so that a change in the machine's load hits all three alike: dfq (channels-last, BN
# folded), dfq --as-stored (NCHW, BN as stored), PyTorch.
for run in $(seq "$RUNS"); do
  for layout in "" --as-stored; do
    /usr/bin/time -f '%M' -o /tmp/dfq-eval-rss.json \
      build/app/cli/dfq eval --model "$MODEL" --data "$DATA" --batch 256 --threads "$THREADS" --json $layout |
      python3 -c 'import json,sys; j=json.load(sys.stdin); j["who"]="dfq "+sys.argv[1]; j["peak_rss_mb"]=int(open("/tmp/dfq-eval-rss.json").read())/1024; print(json.dumps(j))' \
        "${layout:-default}" >>"$OUT"
  done
  /usr/bin/python3 bench/python/eval_resnet_cifar.py "$MODEL" "$DATA" --threads "$THREADS" --batch 256 |
    python3 -c 'import json,sys; j=json.load(sys.stdin); j["who"]="PyTorch (eager, NCHW)"; print(json.dumps(j))' >>"$OUT"
done
python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| who | top-1 | inference s | inference img/s | open+decode s | end-to-end s | end-to-end img/s | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['who']} | {r['top1']:.2f} | {r['seconds']:.2f} | {r['images_per_second']:.0f} | "
          f"{r['data_open_seconds']:.2f} | {r['end_to_end_seconds']:.2f} | {r['end_to_end_images_per_second']:.0f} | "
          f"{r['peak_rss_mb']:.0f} |")
def mean(who, key):
    v = [r[key] for r in rows if r["who"] == who]
    return sum(v) / len(v)
for key in ("images_per_second", "end_to_end_images_per_second"):
    print(f"dfq default / PyTorch, {key}: "
          f"{mean('dfq default', key) / mean('PyTorch (eager, NCHW)', key):.2f}x; "
          f"dfq --as-stored / PyTorch: {mean('dfq --as-stored', key) / mean('PyTorch (eager, NCHW)', key):.2f}x")
PY
