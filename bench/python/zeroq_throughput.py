#!/usr/bin/python3
"""Plain PyTorch (Python API) implementation of the ZeroQ pixel-optimisation loop that
`bench_synth_throughput` times: CIFAR ResNet frozen (requires_grad False, eval mode), per-sample BN
input statistics against the running statistics (sum over layers of (‖μ_i−μ‖² + ‖σ_i−σ‖²)/N), the
input mean-0/std-1 term, Adam lr 0.5 on the pixels. Same batch, iterations and threads.

  /usr/bin/python3 bench/python/zeroq_throughput.py ../shared/models/cifar10/resnet20.pt --batch 64 --iters 100 --threads 2
Prints one JSON line: seconds, image_iterations_per_second.
"""
import argparse, json, os, sys, time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval_resnet_cifar import load_resnet  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = load_resnet(a.model)
    for p in model.parameters():
        p.requires_grad_(False)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    inputs = []
    for m in bns:
        m.register_forward_pre_hook(lambda mod, inp: inputs.append((mod, inp[0])))
    eps = 1e-6

    def run(iters, seed):
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(a.batch, 3, 32, 32, generator=g).requires_grad_(True)
        opt = torch.optim.Adam([x], lr=0.5)
        for _ in range(iters):
            inputs.clear()
            opt.zero_grad()
            model(x)
            loss = 0
            for mod, t in inputs:
                var, mean = torch.var_mean(t, dim=(2, 3), unbiased=False)
                loss = loss + (((mean - mod.running_mean) ** 2).sum()
                               + ((torch.sqrt(var + eps) - torch.sqrt(mod.running_var + eps)) ** 2).sum()) / a.batch
            var, mean = torch.var_mean(x, dim=(2, 3), unbiased=False)
            loss = loss + ((mean ** 2).sum() + ((torch.sqrt(var + eps) - 1) ** 2).sum()) / a.batch
            loss.backward()
            opt.step()
        return loss.item()

    run(3, 1)  # warm-up
    t0 = time.perf_counter()
    final = run(a.iters, 0)
    dt = time.perf_counter() - t0
    print(json.dumps({"batch": a.batch, "iterations": a.iters, "threads": a.threads, "seconds": dt,
                      "image_iterations_per_second": a.batch * a.iters / dt, "final_loss": final,
                      "torch_version": torch.__version__}))


if __name__ == "__main__":
    main()
