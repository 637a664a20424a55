#include "synth/GenieGenerator.h"

#include <torch/torch.h>

#include <cmath>

namespace dfq::synth {
namespace F = torch::nn::functional;

GenieGeneratorImpl::GenieGeneratorImpl(const GenieGeneratorOptions& o)
    : options_(o), initH_((o.height + 3) / 4), initW_((o.width + 3) / 4) {
    TORCH_CHECK(o.latentDim > 0 && o.channels > 0 && o.height > 0 && o.width > 0 && o.c1 > 0 && o.c2 > 0,
                "GenieGenerator: every size must be positive");
    linear_ = register_module("linear", torch::nn::Linear(o.latentDim, o.c1 * initH_ * initW_));
    bn0_ = register_module("bn0", torch::nn::BatchNorm2d(o.c1));
    conv1_ = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.c1, o.c2, 3).padding(1)));
    bn1_ = register_module("bn1", torch::nn::BatchNorm2d(o.c2));
    conv2_ = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.c2, o.channels, 3).padding(1)));
    bnOut_ = register_module("bn_out", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.channels).affine(false)));
}

torch::Tensor GenieGeneratorImpl::forward(const torch::Tensor& z) {
    const auto up = [](const torch::Tensor& x, int64_t h, int64_t w) {
        return F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kNearest));
    };
    torch::Tensor x = linear_(z).view({z.size(0), options_.c1, initH_, initW_});
    x = bn0_(x);
    // ×2 twice as in the paper; sizes given explicitly so that any H, W (28, 32, 224, odd) comes out exact.
    x = up(x, (options_.height + 1) / 2, (options_.width + 1) / 2);
    x = F::leaky_relu(bn1_(conv1_(x)), F::LeakyReLUFuncOptions().negative_slope(0.2));
    x = up(x, options_.height, options_.width);
    return bnOut_(torch::tanh(conv2_(x)));
}

void GenieGeneratorImpl::reset(at::Generator& gen) {
    torch::NoGradGuard ng;
    const auto draw = [&](torch::Tensor& w, torch::Tensor& b, int64_t fanIn) {
        const double bound = 1.0 / std::sqrt(double(fanIn));
        w.uniform_(-bound, bound, gen);
        if (b.defined())
            b.uniform_(-bound, bound, gen);
    };
    draw(linear_->weight, linear_->bias, options_.latentDim);
    draw(conv1_->weight, conv1_->bias, options_.c1 * 9);
    draw(conv2_->weight, conv2_->bias, options_.c2 * 9);
    for (auto* bn : {&bn0_, &bn1_}) {
        (*bn)->weight.fill_(1.0);
        (*bn)->bias.zero_();
    }
}

} // namespace dfq::synth
