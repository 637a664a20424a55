#!/usr/bin/env python3
"""Markdown tables from the JSON written by resnet20_quant.sh (QDIR) and resnet20_synth.sh (SDIR).

  python3 bench/experiments/summarize.py QDIR SDIR
"""
import json, os, sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def fmt(v, nd=2):
    return "–" if v is None else f"{v:.{nd}f}"


def quant_table(qdir):
    print("| run | calibration | PTQ / QAT | FP32 top-1 | quant top-1 | Δ | protocol | wall (s) | fake-quant eval ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in ["w8a8-minmax", "w4a4-minmax", "w4a4-brecq", "w4a4-qatkd", "w4a8-minmax", "w4mixed-a8-minmax"]:
        d = load(os.path.join(qdir, name + ".json"))
        if not d:
            continue
        how = d["ptq"] + (f" + QAT-KD {d['qat']['epochs']} ep" if d.get("qat") else "")
        if d.get("brecq_iterations"):
            how += f" ({d['brecq_iterations']} it/block)"
        print(f"| {d['label']}{' mixed' if 'mixed' in name else ''} | {d['calibration_images']} real | {how} | "
              f"{fmt(d['fp32_top1'])} | {fmt(d['quant_top1'])} | {fmt(d['quant_top1'] - d['fp32_top1'])} | "
              f"{d['protocol']} | {d['seconds']:.0f} | {fmt(d.get('fake_quant_eval_ratio'))} |")


def synth_table(sdir, qdir):
    print("| source | synthesis (s) | BN KL | BN mean-L2 | feature diversity | W4A4 min-max | W4A4 BRECQ | W6A6 min-max | W6A6 BRECQ |")
    print("|---|---|---|---|---|---|---|---|---|")
    for src in ["noise", "real", "zeroq", "dsg", "intraq", "genie"]:
        s = load(os.path.join(sdir, f"synth-{src}.json"))
        cells = []
        for b, p in [(4, "minmax"), (4, "brecq"), (6, "minmax"), (6, "brecq")]:
            q = load(os.path.join(sdir, f"q-{src}-w{b}-{p}.json"))
            mark = ""
            if q is None and src == "real" and b == 4:   # the issue-3 runs on the same 1,024 images
                q = load(os.path.join(qdir, f"w4a4-{p}.json"))
                mark = f" ({q['brecq_iterations']} it)" if q and q.get("brecq_iterations") else ""
            cells.append(fmt(q["quant_top1"]) + mark if q else "–")
        if s:
            div = s.get("diversity", {}).get("feature_intra_class")
            row = [src, f"{s['seconds']:.0f}", fmt(s["bn_divergence"]["kl"], 4), fmt(s["bn_divergence"]["mean_l2"], 4), fmt(div, 3)]
        else:
            row = [src, "–", "–", "–", "–"]
        print("| " + " | ".join(row + cells) + " |")


if __name__ == "__main__":
    quant_table(sys.argv[1])
    print()
    synth_table(sys.argv[2], sys.argv[1])
