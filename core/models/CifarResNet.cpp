#include "models/CifarResNet.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/container/sequential.h>

namespace dfq::models {

CifarBasicBlockImpl::CifarBasicBlockImpl(int64_t in, int64_t out, int64_t stride)
    : stride_(stride), padChannels_(out - in) {
    conv1 = register_module("conv1", Conv2d(Conv2dOptions{in, out, 3, stride, 1}));
    bn1 = register_module("bn1", BatchNorm2d(out));
    relu1 = register_module("relu1", Activation());
    conv2 = register_module("conv2", Conv2d(Conv2dOptions{out, out, 3, 1, 1}));
    bn2 = register_module("bn2", BatchNorm2d(out));
    relu2 = register_module("relu2", Activation());
}

torch::Tensor CifarBasicBlockImpl::forward(const torch::Tensor& x) {
    torch::Tensor out = relu1(bn1(conv1(x)));
    out = bn2(conv2(out));
    torch::Tensor shortcut = x;
    if (stride_ != 1 || padChannels_ != 0) {
        // Option A: x[:, :, ::2, ::2] padded with planes/4 zero channels on each side.
        using namespace torch::indexing;
        shortcut = x.index({Slice(), Slice(), Slice(None, None, stride_), Slice(None, None, stride_)});
        const int64_t p = padChannels_ / 2;
        shortcut = at::constant_pad_nd(shortcut, {0, 0, 0, 0, p, padChannels_ - p}, 0.0);
    }
    return relu2(out + shortcut);
}

ForwardGraph::Value CifarBasicBlockImpl::describe(ForwardGraph& g, const ForwardGraph::Value& x) {
    auto out = g.activation(*relu1, g.batchNorm(*bn1, g.conv(*conv1, x)));
    out = g.batchNorm(*bn2, g.conv(*conv2, out));
    ForwardGraph::Value shortcut = x;
    if (stride_ != 1 || padChannels_ != 0) {
        const int64_t p = padChannels_ / 2;
        shortcut = g.subsampleAndPadChannels(x, stride_, p, padChannels_ - p);
    }
    return g.activation(*relu2, g.add(out, shortcut));
}

CifarResNetImpl::CifarResNetImpl(const CifarResNetOptions& o) {
    const int64_t w = o.baseWidth;
    conv1_ = register_module("conv1", Conv2d(Conv2dOptions{o.inChannels, w, 3, 1, 1}));
    bn1_ = register_module("bn1", BatchNorm2d(w));
    relu_ = register_module("relu", Activation());
    auto stage = [&](int64_t in, int64_t out, int64_t stride) {
        torch::nn::Sequential s;
        for (int64_t i = 0; i < o.blocksPerStage; ++i)
            s->push_back(CifarBasicBlock(i == 0 ? in : out, out, i == 0 ? stride : 1));
        return s;
    };
    layer1_ = register_module("layer1", stage(w, w, 1));
    layer2_ = register_module("layer2", stage(w, 2 * w, 2));
    layer3_ = register_module("layer3", stage(2 * w, 4 * w, 2));
    linear_ = register_module("linear", Linear(4 * w, o.numClasses));

    // Kaiming-normal initialisation (fan_in) of conv and linear weights, as the reference code does.
    torch::NoGradGuard ng;
    for (auto& layer : quantLayers())
        torch::nn::init::kaiming_normal_(layer.weight(), 0.0, torch::kFanIn, torch::kReLU);

    info_.arch = "resnet" + std::to_string(6 * o.blocksPerStage + 2);
    info_.inChannels = o.inChannels;
    info_.numClasses = o.numClasses;
}

torch::Tensor CifarResNetImpl::features(const torch::Tensor& x) {
    torch::Tensor out = relu_(bn1_(conv1_(x)));
    out = layer3_->forward(layer2_->forward(layer1_->forward(out)));
    return at::mean(out, {2, 3});
}

torch::Tensor CifarResNetImpl::classify(const torch::Tensor& f) { return linear_(f); }

torch::Tensor CifarResNetImpl::forward(const torch::Tensor& x) { return classify(features(x)); }

} // namespace dfq::models

namespace dfq::models {

void CifarResNetImpl::describe(ForwardGraph& g) {
    auto x = g.activation(*relu_, g.batchNorm(*bn1_, g.conv(*conv1_, g.input())));
    for (auto* stage : {&layer1_, &layer2_, &layer3_})
        for (const auto& block : (*stage)->children())
            x = std::dynamic_pointer_cast<CifarBasicBlockImpl>(block)->describe(g, x);
    g.output(g.linear(*linear_, g.globalAveragePool(x)));
}

} // namespace dfq::models
