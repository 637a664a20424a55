#pragma once
// The quantizable structure of a model as plain data (names, kinds, weight counts; no tensors), so a
// QuantSpec can be built, checked and sized without the model: the desktop app edits specs in its UI
// thread while the model itself lives in a worker thread.
#include <cstdint>
#include <string>
#include <vector>

namespace dfq::models {
class ZooModelImpl;
}

namespace dfq::quant {

/// A Conv2d or Linear.
struct QuantLayerShape {
    std::string name;            ///< module path, e.g. "layer1.0.conv1"
    bool conv = true;            ///< Conv2d (true) or Linear
    int64_t weightElements = 0;  ///< numel of the weight
    int64_t outChannels = 0;     ///< weight.size(0): the ranges of a per-channel quantizer
};

struct QuantTopology {
    std::string arch;
    std::vector<QuantLayerShape> layers;   ///< every Conv2d/Linear, forward order
    std::vector<std::string> activations;  ///< every ReLU/ReLU6 (Activation) module path, forward order
    /// Every floating-point parameter and buffer element of the model (BN's num_batches_tracked is
    /// bookkeeping and not counted): the model's fp32 size is 32 bits times this.
    int64_t floatElements = 0;
};

QuantTopology quantTopology(models::ZooModelImpl& model);

} // namespace dfq::quant
