#pragma once
#include "models/ForwardGraph.h"
#include "models/ZooModel.h"

namespace dfq::models {

/// CIFAR ResNet-(6n+2) of He et al. 2016 as in Yerlan Idelbayev's pytorch_resnet_cifar10:
/// conv1 3x3 (16) -> 3 stages of n BasicBlocks (16/32/64 channels, stride 1/2/2) -> global average
/// pool -> linear. Option-A shortcut: stride-2 subsampling plus zero channel padding (no parameters).
/// Parameter names: conv1, bn1, layer{1,2,3}.{i}.{conv1,bn1,conv2,bn2}, linear.
/// With inChannels = 1 and 28x28 input it is also the Fashion-MNIST reference net.
struct CifarResNetOptions {
    int64_t blocksPerStage = 3;   ///< n: 3 -> ResNet-20, 5 -> 32, 7 -> 44, 9 -> 56, 1 -> ResNet-8
    int64_t numClasses = 10;
    int64_t inChannels = 3;
    int64_t baseWidth = 16;
};

class CifarBasicBlockImpl : public torch::nn::Module {
public:
    CifarBasicBlockImpl(int64_t in, int64_t out, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);
    ForwardGraph::Value describe(ForwardGraph& g, const ForwardGraph::Value& x);

    Conv2d conv1{nullptr}, conv2{nullptr};
    BatchNorm2d bn1{nullptr}, bn2{nullptr};
    Activation relu1{nullptr}, relu2{nullptr};

private:
    int64_t stride_, padChannels_;
};
TORCH_MODULE(CifarBasicBlock);

class CifarResNetImpl : public ZooModelImpl {
public:
    explicit CifarResNetImpl(const CifarResNetOptions& o);
    torch::Tensor forward(const torch::Tensor& x) override;
    torch::Tensor features(const torch::Tensor& x) override;
    torch::Tensor classify(const torch::Tensor& f) override;
    void describe(ForwardGraph& g) override;

private:
    Conv2d conv1_{nullptr};
    BatchNorm2d bn1_{nullptr};
    Activation relu_{nullptr};
    torch::nn::Sequential layer1_{nullptr}, layer2_{nullptr}, layer3_{nullptr};
    Linear linear_{nullptr};
};

} // namespace dfq::models
