#!/usr/bin/python3
"""Loads a DFQ Studio TorchScript export (DIR/fakequant.torchscript.pt, written by `dfq quantize --out
DIR`) with PyTorch's Python API and measures its top-1 on an ImageFolder of JPEGs decoded with PIL.
It must equal the `quant_top1` that `dfq quantize` reported for the same model (OpenCV and PIL decode
these JPEGs identically). Run with Debian's /usr/bin/python3 (python3-torch, python3-pil).

  /usr/bin/python3 bench/python/eval_torchscript.py DIR/fakequant.torchscript.pt ../shared/data/cifar10-jpeg/test
Prints one JSON line: top1, images, seconds.
"""
import argparse, json, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval_resnet_cifar import image_folder, top1  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("archive")
    ap.add_argument("data")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = torch.jit.load(a.archive, map_location="cpu")
    model.eval()
    files = image_folder(a.data)
    acc, dt = top1(model, files, a.batch)
    print(json.dumps({"top1": acc, "images": len(files), "seconds": dt}))


if __name__ == "__main__":
    main()
