#pragma once
#include "models/ForwardGraph.h"
#include "models/ModelZoo.h"

#include <torch/nn/modules/container/sequential.h>

namespace dfq::models {

/// torchvision's Conv2dNormActivation with ReLU6: conv (no bias, padding (k-1)/2) -> BN -> ReLU6,
/// registered as "0", "1", "2" like the nn.Sequential it replaces. [N,in,H,W] -> [N,out,H/s,W/s].
class ConvBNReLU6Impl : public torch::nn::Module {
public:
    ConvBNReLU6Impl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups = 1);
    torch::Tensor forward(const torch::Tensor& x);
    ForwardGraph::Value describe(ForwardGraph& g, const ForwardGraph::Value& x);

    Conv2d conv{nullptr};
    BatchNorm2d bn{nullptr};
    Activation act{nullptr};
};
TORCH_MODULE(ConvBNReLU6);

/// MobileNetV2 inverted residual: [expand 1x1 ConvBNReLU6 (when t != 1)] -> depthwise 3x3 ConvBNReLU6
/// (stride) -> pointwise-linear 1x1 conv -> BN, all in the Sequential "conv"; the input is added
/// back when stride is 1 and the channel count is kept. [N,in,H,W] -> [N,out,H/s,W/s].
class InvertedResidualImpl : public torch::nn::Module {
public:
    InvertedResidualImpl(int64_t in, int64_t out, int64_t stride, int64_t expandRatio);
    torch::Tensor forward(const torch::Tensor& x);
    ForwardGraph::Value describe(ForwardGraph& g, const ForwardGraph::Value& x);

    torch::nn::Sequential conv{nullptr};

private:
    bool residual_;
};
TORCH_MODULE(InvertedResidual);

struct MobileNetV2Options {
    int64_t numClasses = 1000;
    double dropout = 0.2;   ///< before the classifier; identity in eval()
};

/// torchvision MobileNetV2, width 1.0: features.0 ConvBNReLU6(3->32, stride 2), features.1..17
/// inverted residuals, features.18 ConvBNReLU6(320->1280, 1x1), global average pool, classifier
/// Sequential(Dropout, Linear(1280, classes)). Parameter names as torchvision 0.14:
/// features.0.{0,1}, features.{1..17}.conv.{...}, features.18.{0,1}, classifier.1.
class MobileNetV2Impl : public ZooModelImpl {
public:
    explicit MobileNetV2Impl(const MobileNetV2Options& o);
    /// x [N,3,H,W] -> logits [N,numClasses].
    torch::Tensor forward(const torch::Tensor& x) override;
    /// x [N,3,H,W] -> pooled features [N,1280] (the classifier's input, before dropout).
    torch::Tensor features(const torch::Tensor& x) override;
    /// [N,1280] -> logits [N,numClasses] (dropout is active only in train()).
    torch::Tensor classify(const torch::Tensor& f) override;
    void describe(ForwardGraph& g) override;

private:
    torch::nn::Sequential features_{nullptr};
    torch::nn::Sequential classifier_{nullptr};
};

/// Zoo entry "mobilenet_v2" (3x224x224, ImageNet normalisation, 1000 classes by default). It
/// recognises state dicts with features.18.0.weight and classifier.1.weight.
ArchEntry mobileNetV2Entry();

} // namespace dfq::models
