#pragma once
#include "models/Layers.h"

#include <torch/nn/module.h>

#include <string>
#include <vector>

namespace dfq::models {

class ForwardGraph;

/// What a model expects and predicts.
struct ModelInfo {
    std::string arch;                    ///< zoo name, e.g. "resnet20", "resnet18", "mobilenet_v2", "fmnist_resnet8"
    int64_t inChannels = 3;
    int64_t inHeight = 32;
    int64_t inWidth = 32;
    int64_t numClasses = 10;
    std::vector<std::string> classNames; ///< empty when unknown
    std::string normalization;           ///< preset name the weights were trained with ("imagenet", "fashion-mnist")
};

/// A named reference to a quantizable layer (Conv2d or Linear), in forward order.
struct QuantLayerRef {
    std::string name;                    ///< module path, e.g. "layer1.0.conv1", "fc"
    Conv2d conv{nullptr};                ///< set for convolutions
    Linear linear{nullptr};              ///< set for fully connected layers
    bool isConv() const { return !conv.is_empty(); }
    torch::Tensor& weight() { return isConv() ? conv->weight : linear->weight; }
    std::shared_ptr<WeightInputHook>& hook() { return isConv() ? conv->hook : linear->hook; }
    int64_t weightCount() const { return isConv() ? conv->weight.numel() : linear->weight.numel(); }
};

struct BatchNormRef {
    std::string name;                    ///< e.g. "layer1.0.bn1"
    BatchNorm2d bn{nullptr};
    std::string convName;                ///< the convolution feeding it ("" when none), for BN folding
};

struct ActivationRef {
    std::string name;
    Activation act{nullptr};
};

/// Base of every zoo model: a torch::nn::Module whose parameter names match the PyTorch checkpoints,
/// plus the layer lists that quantization and synthesis need.
class ZooModelImpl : public torch::nn::Module {
public:
    /// x [N, inChannels, inHeight, inWidth] normalised -> logits [N, numClasses].
    virtual torch::Tensor forward(const torch::Tensor& x) = 0;
    /// x -> penultimate features [N, D] (the classifier's input), for diversity and centroid metrics.
    virtual torch::Tensor features(const torch::Tensor& x) = 0;
    /// The final classifier applied to features(): logits = classify(features(x)).
    virtual torch::Tensor classify(const torch::Tensor& features) = 0;
    /// Tells the eval-mode forward() to g, layer by layer (ForwardGraph.h), for exporters. The
    /// default throws ModelError naming the architecture (a model that cannot be described).
    virtual void describe(ForwardGraph& g);

    const ModelInfo& info() const { return info_; }
    ModelInfo& info() { return info_; }

    /// Layers in forward order (module registration order, which every zoo model keeps equal to it).
    std::vector<QuantLayerRef> quantLayers();
    std::vector<BatchNormRef> bnLayers();
    std::vector<ActivationRef> activations();
    int64_t parameterCount() const;

protected:
    ModelInfo info_;
};
/// Models are shared (the GUI, the pipeline and the quantizer hold the same one); value semantics
/// come from clone() where a copy is wanted.
using ZooModel = std::shared_ptr<ZooModelImpl>;

} // namespace dfq::models
