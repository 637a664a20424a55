#pragma once
// Per-sample, per-channel mean and variance of an activation, the hot spot of every BN-statistics
// loss: the forward from a sum and a sum of squares (at::var_mean is 10–20× slower in this LibTorch
// build), and a hand-written backward that runs one full-size kernel (grad_x = a[n,c] + b[n,c]·x)
// where autograd's var_mean backward runs several (docs/benchmarks.md, "Synthesis throughput").
#include <torch/types.h>

#include <utility>

namespace dfq::synth {

/// x [N,C,H,W] (any memory format) -> {mean [N,C], biased variance [N,C]} over H,W, differentiable
/// with respect to x:  ∂L/∂x = ∂L/∂mean / HW + ∂L/∂var · 2 (x − mean) / HW.
std::pair<torch::Tensor, torch::Tensor> channelMoments(const torch::Tensor& x);

} // namespace dfq::synth
