#pragma once
// Zoo building blocks. Parameter and buffer names match torch.nn so PyTorch state dicts map 1:1;
// each block carries optional hooks (LayerHooks.h) for quantization and statistic taps.
#include "models/LayerHooks.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>

namespace dfq::models {

struct Conv2dOptions {
    int64_t in = 0, out = 0, kernel = 3, stride = 1, padding = 0, groups = 1, dilation = 1;
    bool bias = false;
};

/// torch.nn.Conv2d (zero padding). Parameters: weight [out,in/groups,k,k], bias [out] (optional).
class Conv2dImpl : public torch::nn::Module {
public:
    explicit Conv2dImpl(const Conv2dOptions& o);
    torch::Tensor forward(const torch::Tensor& x);
    const Conv2dOptions& options() const { return options_; }

    torch::Tensor weight, bias;
    std::shared_ptr<WeightInputHook> hook;

private:
    Conv2dOptions options_;
};
TORCH_MODULE(Conv2d);

/// torch.nn.Linear. Parameters: weight [out,in], bias [out].
class LinearImpl : public torch::nn::Module {
public:
    LinearImpl(int64_t in, int64_t out, bool bias = true);
    torch::Tensor forward(const torch::Tensor& x);
    int64_t inFeatures() const { return in_; }
    int64_t outFeatures() const { return out_; }

    torch::Tensor weight, bias;
    std::shared_ptr<WeightInputHook> hook;

private:
    int64_t in_, out_;
};
TORCH_MODULE(Linear);

/// torch.nn.BatchNorm2d. Parameters weight/bias [C] (when affine), buffers running_mean/running_var [C]
/// and num_batches_tracked (scalar int64). Uses batch statistics in train() mode, running ones in eval().
class BatchNorm2dImpl : public torch::nn::Module {
public:
    explicit BatchNorm2dImpl(int64_t channels, double eps = 1e-5, double momentum = 0.1, bool affine = true);
    torch::Tensor forward(const torch::Tensor& x);
    int64_t channels() const { return channels_; }
    double eps() const { return eps_; }
    bool affine() const { return affine_; }

    torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
    std::shared_ptr<BatchNormHook> hook;
    /// When false, forward() returns its input unchanged (after the hook saw it): used once BN is
    /// folded into the preceding convolution.
    bool enabled = true;

private:
    int64_t channels_;
    double eps_, momentum_;
    bool affine_;
};
TORCH_MODULE(BatchNorm2d);

enum class ActivationKind { ReLU, ReLU6 };

/// ReLU / ReLU6 with an optional output hook (activation fake-quant sits here in the GDFQ placement).
class ActivationImpl : public torch::nn::Module {
public:
    explicit ActivationImpl(ActivationKind kind = ActivationKind::ReLU) : kind_(kind) {}
    torch::Tensor forward(const torch::Tensor& x);
    ActivationKind kind() const { return kind_; }

    std::shared_ptr<TensorHook> hook;

private:
    ActivationKind kind_;
};
TORCH_MODULE(Activation);

} // namespace dfq::models
