#include "models/Layers.h"

#include <torch/nn/functional.h>

#include <cmath>

namespace F = torch::nn::functional;

namespace dfq::models {

Conv2dImpl::Conv2dImpl(const Conv2dOptions& o) : options_(o) {
    TORCH_CHECK(o.in > 0 && o.out > 0 && o.in % o.groups == 0, "Conv2d: bad channel counts");
    weight = register_parameter("weight", torch::empty({o.out, o.in / o.groups, o.kernel, o.kernel}));
    // Kaiming-uniform as torch.nn.Conv2d.reset_parameters (a = sqrt(5)).
    const double fanIn = double(o.in / o.groups) * o.kernel * o.kernel;
    const double bound = 1.0 / std::sqrt(fanIn);
    torch::NoGradGuard ng;
    weight.uniform_(-bound, bound);
    if (o.bias)
        bias = register_parameter("bias", torch::empty({o.out}).uniform_(-bound, bound));
}

torch::Tensor Conv2dImpl::forward(const torch::Tensor& x) {
    torch::Tensor in = x, w = weight, b = bias;
    if (hook) {
        in = hook->input(x);
        w = hook->weight(weight);
        b = hook->bias(bias);
    }
    return at::conv2d(in, w, b, {options_.stride, options_.stride}, {options_.padding, options_.padding},
                      {options_.dilation, options_.dilation}, options_.groups);
}

LinearImpl::LinearImpl(int64_t in, int64_t out, bool withBias) : in_(in), out_(out) {
    const double bound = 1.0 / std::sqrt(double(in));
    torch::NoGradGuard ng;
    weight = register_parameter("weight", torch::empty({out, in}).uniform_(-bound, bound));
    if (withBias)
        bias = register_parameter("bias", torch::empty({out}).uniform_(-bound, bound));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) {
    if (!hook)
        return at::linear(x, weight, bias);
    return at::linear(hook->input(x), hook->weight(weight), hook->bias(bias));
}

BatchNorm2dImpl::BatchNorm2dImpl(int64_t channels, double eps, double momentum, bool affine)
    : channels_(channels), eps_(eps), momentum_(momentum), affine_(affine) {
    if (affine) {
        weight = register_parameter("weight", torch::ones({channels}));
        bias = register_parameter("bias", torch::zeros({channels}));
    }
    running_mean = register_buffer("running_mean", torch::zeros({channels}));
    running_var = register_buffer("running_var", torch::ones({channels}));
    num_batches_tracked = register_buffer("num_batches_tracked", torch::zeros({}, torch::kLong));
}

torch::Tensor BatchNorm2dImpl::forward(const torch::Tensor& x) {
    if (hook)
        hook->observeInput(x);
    if (!enabled)
        return x;
    if (is_training()) {
        torch::NoGradGuard ng;
        num_batches_tracked.add_(1);
    }
    return at::batch_norm(x, weight, bias, running_mean, running_var, is_training(), momentum_, eps_,
                          /*cudnn_enabled=*/false);
}

torch::Tensor ActivationImpl::forward(const torch::Tensor& x) {
    torch::Tensor y = kind_ == ActivationKind::ReLU ? at::relu(x) : at::hardtanh(x, 0.0, 6.0);
    return hook ? hook->apply(y) : y;
}

} // namespace dfq::models
