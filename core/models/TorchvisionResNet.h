#pragma once
#include "models/ForwardGraph.h"
#include "models/ModelZoo.h"

#include <vector>

namespace dfq::models {

/// torchvision ResNet (v1.5: in a Bottleneck the stride sits on the 3x3 convolution).
/// conv1 7x7/2 (64) -> bn1 -> relu -> maxpool 3x3/2 -> layer1..4 (64/128/256/512 planes, stride
/// 1/2/2/2) -> adaptive average pool -> fc. Input [N,3,H,W] (224x224 for the ImageNet weights).
/// Parameter names as torchvision 0.14: conv1, bn1, layer{1..4}.{i}.{conv1,bn1,conv2,bn2[,conv3,bn3]
/// [,downsample.0,downsample.1]}, fc.
struct TorchvisionResNetOptions {
    std::vector<int64_t> blocksPerStage{2, 2, 2, 2};   ///< [2,2,2,2] -> 18, [3,4,6,3] -> 34 or 50
    bool bottleneck = false;                           ///< Bottleneck blocks (ResNet-50) instead of BasicBlocks
    int64_t numClasses = 1000;
};

/// Two 3x3 convolutions; out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).
class TorchvisionBasicBlockImpl : public torch::nn::Module {
public:
    TorchvisionBasicBlockImpl(int64_t in, int64_t planes, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);
    ForwardGraph::Value describe(ForwardGraph& g, const ForwardGraph::Value& x);

    static constexpr int64_t expansion = 1;
    Conv2d conv1{nullptr}, conv2{nullptr};
    BatchNorm2d bn1{nullptr}, bn2{nullptr};
    Activation relu1{nullptr}, relu2{nullptr};
    torch::nn::Sequential downsample{nullptr};   ///< conv1x1 + BN when the shape changes, else null
};
TORCH_MODULE(TorchvisionBasicBlock);

/// 1x1 reduce -> 3x3 (stride) -> 1x1 expand to 4 * planes, plus the shortcut.
class TorchvisionBottleneckImpl : public torch::nn::Module {
public:
    TorchvisionBottleneckImpl(int64_t in, int64_t planes, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);
    ForwardGraph::Value describe(ForwardGraph& g, const ForwardGraph::Value& x);

    static constexpr int64_t expansion = 4;
    Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    Activation relu1{nullptr}, relu2{nullptr}, relu3{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(TorchvisionBottleneck);

class TorchvisionResNetImpl : public ZooModelImpl {
public:
    explicit TorchvisionResNetImpl(const TorchvisionResNetOptions& o);
    /// x [N,3,H,W] -> logits [N,numClasses].
    torch::Tensor forward(const torch::Tensor& x) override;
    /// x [N,3,H,W] -> pooled features [N, 512 * expansion] (512 or 2048).
    torch::Tensor features(const torch::Tensor& x) override;
    /// [N, 512 * expansion] -> logits [N, numClasses].
    torch::Tensor classify(const torch::Tensor& f) override;
    void describe(ForwardGraph& g) override;

private:
    Conv2d conv1_{nullptr};
    BatchNorm2d bn1_{nullptr};
    Activation relu_{nullptr};
    torch::nn::Sequential layer1_{nullptr}, layer2_{nullptr}, layer3_{nullptr}, layer4_{nullptr};
    Linear fc_{nullptr};
};

/// Zoo entries "resnet18", "resnet34", "resnet50" (3x224x224, ImageNet normalisation, 1000 classes by
/// default). They recognise state dicts with fc.weight and layer4 by the block count per stage and
/// the presence of conv3 (Bottleneck).
std::vector<ArchEntry> torchvisionResNetEntries();

} // namespace dfq::models
