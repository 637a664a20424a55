#include "models/MobileNetV2.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/dropout.h>

#include <cmath>

namespace dfq::models {
namespace {

/// torchvision's _make_divisible: v rounded to the nearest multiple of divisor, never below divisor
/// and never more than 10% below v.
int64_t makeDivisible(double v, int64_t divisor = 8) {
    int64_t rounded = std::max(divisor, int64_t(v + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * v)
        rounded += divisor;
    return rounded;
}

} // namespace

ConvBNReLU6Impl::ConvBNReLU6Impl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups) {
    conv = register_module("0", Conv2d(Conv2dOptions{in, out, kernel, stride, (kernel - 1) / 2, groups}));
    bn = register_module("1", BatchNorm2d(out));
    act = register_module("2", Activation(ActivationKind::ReLU6));
}

torch::Tensor ConvBNReLU6Impl::forward(const torch::Tensor& x) { return act(bn(conv(x))); }

ForwardGraph::Value ConvBNReLU6Impl::describe(ForwardGraph& g, const ForwardGraph::Value& x) {
    return g.activation(*act, g.batchNorm(*bn, g.conv(*conv, x)));
}

InvertedResidualImpl::InvertedResidualImpl(int64_t in, int64_t out, int64_t stride, int64_t expandRatio)
    : residual_(stride == 1 && in == out) {
    // torchvision: hidden_dim = int(round(inp * expand_ratio)).
    const int64_t hidden = int64_t(std::lround(double(in) * double(expandRatio)));
    torch::nn::Sequential s;
    if (expandRatio != 1)
        s->push_back(ConvBNReLU6(in, hidden, 1, 1));
    s->push_back(ConvBNReLU6(hidden, hidden, 3, stride, /*groups=*/hidden));   // depthwise
    s->push_back(Conv2d(Conv2dOptions{hidden, out, 1, 1, 0}));                 // pointwise, linear
    s->push_back(BatchNorm2d(out));
    conv = register_module("conv", s);
}

torch::Tensor InvertedResidualImpl::forward(const torch::Tensor& x) {
    torch::Tensor out = conv->forward(x);
    return residual_ ? x + out : out;
}

ForwardGraph::Value InvertedResidualImpl::describe(ForwardGraph& g, const ForwardGraph::Value& x) {
    ForwardGraph::Value out = x;
    for (const auto& m : conv->children()) {
        if (auto c = std::dynamic_pointer_cast<ConvBNReLU6Impl>(m))
            out = c->describe(g, out);
        else if (auto pw = std::dynamic_pointer_cast<Conv2dImpl>(m))
            out = g.conv(*pw, out);
        else
            out = g.batchNorm(*std::dynamic_pointer_cast<BatchNorm2dImpl>(m), out);
    }
    return residual_ ? g.add(x, out) : out;
}

MobileNetV2Impl::MobileNetV2Impl(const MobileNetV2Options& o) {
    // t (expansion), c (output channels), n (repeats), s (stride of the first repeat).
    struct Stage {
        int64_t t, c, n, s;
    };
    const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                            {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    const int64_t lastChannels = makeDivisible(1280);

    torch::nn::Sequential f;
    int64_t in = makeDivisible(32);
    f->push_back(ConvBNReLU6(3, in, 3, 2));
    for (const Stage& st : stages) {
        const int64_t out = makeDivisible(double(st.c));
        for (int64_t i = 0; i < st.n; ++i) {
            f->push_back(InvertedResidual(in, out, i == 0 ? st.s : 1, st.t));
            in = out;
        }
    }
    f->push_back(ConvBNReLU6(in, lastChannels, 1, 1));
    features_ = register_module("features", f);

    // Dropout has no parameters: it sits at "0" only so that the Linear's keys are classifier.1.*.
    torch::nn::Sequential c;
    c->push_back(torch::nn::Dropout(torch::nn::DropoutOptions(o.dropout)));
    c->push_back(Linear(lastChannels, o.numClasses));
    classifier_ = register_module("classifier", c);

    // torchvision's initialisation: Kaiming-normal (fan_out) convolutions, BN 1/0 (the defaults),
    // Linear N(0, 0.01) with zero bias.
    torch::NoGradGuard ng;
    for (auto& layer : quantLayers()) {
        if (layer.isConv()) {
            torch::nn::init::kaiming_normal_(layer.weight(), 0.0, torch::kFanOut);
        } else {
            layer.linear->weight.normal_(0.0, 0.01);
            layer.linear->bias.zero_();
        }
    }

    info_.arch = "mobilenet_v2";
    info_.inChannels = 3;
    info_.inHeight = info_.inWidth = 224;
    info_.numClasses = o.numClasses;
    info_.normalization = "imagenet";
}

torch::Tensor MobileNetV2Impl::features(const torch::Tensor& x) {
    return at::mean(features_->forward(x), {2, 3});   // adaptive average pool to 1x1, flattened
}

torch::Tensor MobileNetV2Impl::classify(const torch::Tensor& f) { return classifier_->forward(f); }

torch::Tensor MobileNetV2Impl::forward(const torch::Tensor& x) { return classify(features(x)); }

void MobileNetV2Impl::describe(ForwardGraph& g) {
    ForwardGraph::Value x = g.input();
    for (const auto& m : features_->children()) {
        if (auto c = std::dynamic_pointer_cast<ConvBNReLU6Impl>(m))
            x = c->describe(g, x);
        else
            x = std::dynamic_pointer_cast<InvertedResidualImpl>(m)->describe(g, x);
    }
    // classifier = Sequential(Dropout, Linear): dropout is the identity in eval mode.
    auto fc = std::dynamic_pointer_cast<LinearImpl>(classifier_->children().at(1));
    g.output(g.linear(*fc, g.globalAveragePool(x)));
}

ArchEntry mobileNetV2Entry() {
    return {"mobilenet_v2",
            "torchvision MobileNetV2 (3x224x224, width 1.0)",
            [](const ArchOptions& a) {
                MobileNetV2Options o;
                o.numClasses = a.numClasses > 0 ? a.numClasses : 1000;
                return ZooModel(std::make_shared<MobileNetV2Impl>(o));
            },
            [](const checkpoint::StateDict& sd) {
                const torch::Tensor* head = sd.find("features.18.0.weight");
                const torch::Tensor* fc = sd.find("classifier.1.weight");
                return head && head->dim() == 4 && fc && fc->dim() == 2;
            }};
}

} // namespace dfq::models
