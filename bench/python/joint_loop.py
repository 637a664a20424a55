#!/usr/bin/python3
"""Plain PyTorch (Python API) version of the generator-student loop that `bench_joint_loop` times
(GDFQ, methods.md §0/§2): GDFQ's CIFAR generator (embedding ⊙ z, Linear, BN, up, conv, BN(eps 0.8),
LeakyReLU, up, conv, BN, LeakyReLU, conv, tanh, BN(affine=False)), a frozen CIFAR ResNet teacher in
eval mode (requires_grad False) seen once per iteration (CE + 0.1·BNS on its BN inputs' batch
statistics), Adam on the generator; then a fake-quantized W4A4 student (per-channel min/max weights
re-tracked every forward, per-tensor activations after every ReLU with fixed ranges, STE) trained with
CE + KL(T=20, 'mean') against the same teacher logits, SGD Nesterov. Same batch, iterations, threads.

  /usr/bin/python3 bench/python/joint_loop.py ../shared/models/cifar10/resnet20.pt --batch 128 --iters 20 --threads 2
Prints one JSON line: seconds, iters_per_second.
"""
import argparse, copy, json, os, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval_resnet_cifar import load_resnet  # noqa: E402


class Generator(nn.Module):
    def __init__(self, classes=10, latent=100, c1=128, c2=64, channels=3, size=32):
        super().__init__()
        self.s = size // 4
        self.c1 = c1
        self.embed = nn.Embedding(classes, latent)
        self.linear = nn.Linear(latent, c1 * self.s * self.s)
        self.bn0 = nn.BatchNorm2d(c1)
        self.conv1 = nn.Conv2d(c1, c1, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(c1, eps=0.8)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c2, eps=0.8)
        self.conv3 = nn.Conv2d(c2, channels, 3, padding=1)
        self.bn_out = nn.BatchNorm2d(channels, affine=False)

    def forward(self, z, y):
        x = self.linear(self.embed(y) * z).view(z.size(0), self.c1, self.s, self.s)
        x = F.interpolate(self.bn0(x), scale_factor=2)
        x = F.interpolate(F.leaky_relu(self.bn1(self.conv1(x)), 0.2), scale_factor=2)
        x = F.leaky_relu(self.bn2(self.conv2(x)), 0.2)
        return self.bn_out(torch.tanh(self.conv3(x)))


class Ste(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo, hi, bits):
        scale = ((hi - lo) / (2 ** bits - 1)).clamp_min(1e-8)
        zp = torch.round(-lo / scale)
        q = torch.clamp(torch.round(x / scale) + zp, 0, 2 ** bits - 1)
        return (q - zp) * scale

    @staticmethod
    def backward(ctx, g):
        return g, None, None, None


class QConv(nn.Module):
    """A conv or linear whose weight is fake-quantized per output channel with its current min/max."""

    def __init__(self, mod, bits):
        super().__init__()
        self.mod, self.bits = mod, bits

    def forward(self, x):
        w = self.mod.weight
        flat = w.detach().flatten(1)
        shape = (-1,) + (1,) * (w.dim() - 1)
        wq = Ste.apply(w, flat.min(1).values.clamp_max(0).view(shape), flat.max(1).values.clamp_min(0).view(shape), self.bits)
        if isinstance(self.mod, nn.Conv2d):
            return F.conv2d(x, wq, self.mod.bias, self.mod.stride, self.mod.padding)
        return F.linear(x, wq, self.mod.bias)


class QAct(nn.Module):
    def __init__(self, bits, lo=0.0, hi=4.0):
        super().__init__()
        self.bits, self.lo, self.hi = bits, torch.tensor(lo), torch.tensor(hi)

    def forward(self, x):
        return Ste.apply(F.relu(x), self.lo, self.hi, self.bits)


def quantize(model, bits):
    """Weights of every conv/linear fake-quantized; an activation quantizer after every ReLU (the
    reference ResNet calls F.relu, so the quantizer sits on the output of each ReLU's producer: bn1 of
    the stem and of every block, whose ReLU is then a no-op on the non-negative codes, and each block's
    output, the ReLU after the residual sum)."""
    def swap(m):
        for name, child in m.named_children():
            if isinstance(child, (nn.Conv2d, nn.Linear)):
                setattr(m, name, QConv(child, bits))
            else:
                swap(child)
    swap(model)
    act = QAct(bits)
    for name, m in model.named_modules():
        if name.endswith("bn1"):
            m.register_forward_hook(lambda mod, inp, out: act(out))
        elif type(m).__name__ == "Block":
            m.register_forward_hook(lambda mod, inp, out: act(out))
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    teacher = load_resnet(a.model)
    student = quantize(copy.deepcopy(teacher), 4)
    student.eval()  # BN statistics frozen, affine trained
    for p in teacher.parameters():
        p.requires_grad_(False)
    bns = [m for m in teacher.modules() if isinstance(m, nn.BatchNorm2d)]
    seen = []
    for m in bns:
        m.register_forward_pre_hook(lambda mod, inp: seen.append((mod, inp[0])))
    gen = Generator()
    gen.train()
    g_opt = torch.optim.Adam(gen.parameters(), lr=1e-3, betas=(0.5, 0.999))
    s_opt = torch.optim.SGD(student.parameters(), lr=1e-4, momentum=0.9, nesterov=True, weight_decay=1e-4)
    T = 20.0

    def step():
        z = torch.randn(a.batch, 100)
        y = torch.randint(0, 10, (a.batch,))
        seen.clear()
        x = gen(z, y)
        t = teacher(x)
        bns_loss = 0
        for mod, h in seen:
            var, mean = torch.var_mean(h, dim=(0, 2, 3), unbiased=False)
            bns_loss = bns_loss + F.mse_loss(mean, mod.running_mean) + F.mse_loss(var, mod.running_var)
        loss_g = F.cross_entropy(t, y) + 0.1 * bns_loss / len(seen)
        g_opt.zero_grad()
        loss_g.backward()
        g_opt.step()
        s = student(x.detach())
        td = t.detach()
        kd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(td / T, 1), reduction="mean") * T * T
        loss_s = F.cross_entropy(s, y) + kd
        s_opt.zero_grad()
        loss_s.backward()
        s_opt.step()
        return loss_g.item(), loss_s.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.iters):
        lg, ls = step()
    dt = time.perf_counter() - t0
    print(json.dumps({"batch": a.batch, "iters": a.iters, "threads": a.threads, "seconds": dt,
                      "iters_per_second": a.iters / dt, "seconds_per_iter": dt / a.iters,
                      "images_per_second": a.iters * a.batch / dt, "final_generator_loss": lg,
                      "final_student_loss": ls, "torch_version": torch.__version__}))


if __name__ == "__main__":
    main()
