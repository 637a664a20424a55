#pragma once
#include <torch/types.h>

namespace dfq::models {

/// Interception points the quantizer and the synthesiser attach to zoo layers. A hook that is not set
/// costs nothing. Hooks must be differentiable where gradients flow (STE fake-quant, BN statistic taps).

/// On Conv2d and Linear: transforms the weight before use, and the layer input.
class WeightInputHook {
public:
    virtual ~WeightInputHook() = default;
    /// weight [out,in/groups,kh,kw] or [out,in]; returns the tensor the layer computes with.
    virtual torch::Tensor weight(const torch::Tensor& w) { return w; }
    /// bias [out] or undefined; returns the tensor the layer computes with (BN folding changes it).
    virtual torch::Tensor bias(const torch::Tensor& b) { return b; }
    /// layer input [N,C,H,W] or [N,F].
    virtual torch::Tensor input(const torch::Tensor& x) { return x; }
};

/// On BatchNorm2d: sees the BN input [N,C,H,W] (for statistic taps), may replace the whole BN.
class BatchNormHook {
public:
    virtual ~BatchNormHook() = default;
    virtual void observeInput(const torch::Tensor& x) = 0;
};

/// On activations (ReLU, ReLU6) and other tensors: transforms the output (activation fake-quant).
class TensorHook {
public:
    virtual ~TensorHook() = default;
    virtual torch::Tensor apply(const torch::Tensor& x) = 0;
};

} // namespace dfq::models
