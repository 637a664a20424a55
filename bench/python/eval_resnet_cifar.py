#!/usr/bin/python3
"""PyTorch (Python API) reference for `dfq eval`: CIFAR ResNet FP32 accuracy and throughput on an
ImageFolder of JPEGs, decoded with PIL. Run with Debian's /usr/bin/python3 (python3-torch, python3-pil).

  /usr/bin/python3 bench/python/eval_resnet_cifar.py ../shared/models/cifar10/resnet20.pt \
      ../shared/data/cifar10-jpeg/test --threads 2 --batch 256
Prints one JSON line with the fields of `dfq eval --json`: top1, images, seconds and images_per_second
(inference alone, on the decoded tensors), data_open_seconds (listing + decoding every file on --threads
threads), end_to_end_seconds and end_to_end_images_per_second (from the files), peak_rss_mb.
"""
import argparse, json, os, resource, time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image


class Block(nn.Module):
    def __init__(self, inp, out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out)
        self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out)
        self.pad = out - inp
        self.stride = stride

    def forward(self, x):
        o = F.relu(self.bn1(self.conv1(x)))
        o = self.bn2(self.conv2(o))
        s = x
        if self.stride != 1 or self.pad:
            s = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        return F.relu(o + s)


class ResNet(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        def stage(i, o, s):
            return nn.Sequential(*[Block(i if k == 0 else o, o, s if k == 0 else 1) for k in range(n)])
        self.layer1, self.layer2, self.layer3 = stage(16, 16, 1), stage(16, 32, 2), stage(32, 64, 2)
        self.linear = nn.Linear(64, 10)

    def forward(self, x):
        o = F.relu(self.bn1(self.conv1(x)))
        o = self.layer3(self.layer2(self.layer1(o)))
        return self.linear(o.mean((2, 3)))


def load_resnet(path):
    """A CIFAR ResNet (any depth) from a state dict / legacy checkpoint, in eval mode."""
    sd = torch.load(path, map_location="cpu")
    if "state_dict" in sd:
        sd = sd["state_dict"]
    sd = {k[7:] if k.startswith("module.") else k: v for k, v in sd.items()}
    n = sum(1 for k in sd if k.startswith("layer1.") and k.endswith("conv1.weight"))
    model = ResNet(n)
    model.load_state_dict(sd)
    model.eval()
    return model


def image_folder(root):
    """(path, class index) of every file of an ImageFolder, classes and files in sorted order."""
    classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    return [(os.path.join(root, c, f), i) for i, c in enumerate(classes)
            for f in sorted(os.listdir(os.path.join(root, c)))]


MEAN = np.array([0.485, 0.456, 0.406], np.float32).reshape(3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], np.float32).reshape(3, 1, 1)


def decode(path):
    """[3,H,W] float32, scaled to [0,1] and normalised, decoded with PIL."""
    return (np.asarray(Image.open(path).convert("RGB"), np.float32).transpose(2, 0, 1) / 255.0 - MEAN) / STD


def decode_all(files, threads):
    """(images [N,3,H,W], labels [N]) of every file, decoded on `threads` threads (PIL's decoder releases
    the GIL, so threads run in parallel, as dfq's decoding does on --threads threads)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        images = list(pool.map(decode, [p for p, _ in files], chunksize=64))
    return torch.from_numpy(np.stack(images)), torch.tensor([l for _, l in files])


def top1(model, images, labels, batch):
    """Top-1 % of model over decoded tensors, in batches."""
    correct = 0
    with torch.no_grad():
        for b in range(0, len(labels), batch):
            correct += (model(images[b:b + batch]).argmax(1) == labels[b:b + batch]).sum().item()
    return 100.0 * correct / len(labels)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("data")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch", type=int, default=256)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = load_resnet(a.model)
    t0 = time.perf_counter()
    files = image_folder(a.data)
    images, labels = decode_all(files, a.threads)
    t1 = time.perf_counter()
    acc = top1(model, images, labels, a.batch)
    t2 = time.perf_counter()
    n = len(files)
    print(json.dumps({"top1": acc, "images": n, "seconds": t2 - t1, "images_per_second": n / (t2 - t1),
                      "data_open_seconds": t1 - t0, "end_to_end_seconds": t2 - t0,
                      "end_to_end_images_per_second": n / (t2 - t0), "threads": a.threads,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))


if __name__ == "__main__":
    main()
