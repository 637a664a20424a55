#!/usr/bin/python3
"""Loads a DFQ Studio TorchScript export (DIR/fakequant.torchscript.pt, written by `dfq quantize --out
DIR`) with PyTorch's Python API and measures its top-1 on an ImageFolder of JPEGs decoded with PIL.
It must equal the `quant_top1` that `dfq quantize` reported for the same model (OpenCV and PIL decode
these JPEGs identically). Run with Debian's /usr/bin/python3 (python3-torch, python3-pil).

  /usr/bin/python3 bench/python/eval_torchscript.py DIR/fakequant.torchscript.pt ../shared/data/cifar10-jpeg/test
Prints one JSON line: top1, images, seconds.
"""
import argparse, json, os, time

import numpy as np
import torch
from PIL import Image


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
    classes = sorted(d for d in os.listdir(a.data) if os.path.isdir(os.path.join(a.data, d)))
    files = [(os.path.join(a.data, c, f), i) for i, c in enumerate(classes)
             for f in sorted(os.listdir(os.path.join(a.data, c)))]
    mean = np.array([0.485, 0.456, 0.406], np.float32).reshape(3, 1, 1)
    std = np.array([0.229, 0.224, 0.225], np.float32).reshape(3, 1, 1)
    correct = 0
    t0 = time.perf_counter()
    with torch.no_grad():
        for b in range(0, len(files), a.batch):
            chunk = files[b:b + a.batch]
            x = np.stack([(np.asarray(Image.open(p).convert("RGB"), np.float32).transpose(2, 0, 1) / 255.0 - mean) / std
                          for p, _ in chunk])
            y = torch.tensor([l for _, l in chunk])
            correct += (model(torch.from_numpy(x)).argmax(1) == y).sum().item()
    print(json.dumps({"top1": 100.0 * correct / len(files), "images": len(files),
                      "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
