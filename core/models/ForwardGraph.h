#pragma once
// A zoo model's forward pass told as a sequence of layer calls, for exporters (deploy/OnnxExporter.h):
// the model calls these in the order its forward() computes, passing its own modules, so the graph
// an exporter writes is the network the model runs (a test replays it with torch and compares).
// Values are opaque names chosen by the implementation.
#include "models/Layers.h"

#include <string>

namespace dfq::models {

class ForwardGraph {
public:
    using Value = std::string;
    virtual ~ForwardGraph() = default;

    /// The network input [N, inChannels, inHeight, inWidth], normalised.
    virtual Value input() = 0;
    /// conv(x): [N,in,H,W] -> [N,out,H',W'], with the module's hook (weight and input quantizers).
    virtual Value conv(Conv2dImpl& conv, const Value& x) = 0;
    /// BatchNorm2d in eval mode; the identity when the module is disabled (folded into the conv).
    virtual Value batchNorm(BatchNorm2dImpl& bn, const Value& x) = 0;
    /// ReLU / ReLU6 and its output hook (activation quantizer).
    virtual Value activation(ActivationImpl& act, const Value& x) = 0;
    /// fc(x): [N,in] -> [N,out], with the module's hook.
    virtual Value linear(LinearImpl& fc, const Value& x) = 0;
    /// a + b, same shape (residual sum).
    virtual Value add(const Value& a, const Value& b) = 0;
    /// Spatial mean: [N,C,H,W] -> [N,C] (adaptive average pool to 1x1, flattened).
    virtual Value globalAveragePool(const Value& x) = 0;
    /// Max pooling, square kernel, padding with -inf: [N,C,H,W] -> [N,C,H',W'].
    virtual Value maxPool(const Value& x, int64_t kernel, int64_t stride, int64_t padding) = 0;
    /// The CIFAR ResNet option-A shortcut: x[:, :, ::stride, ::stride] with padBefore zero channels in
    /// front and padAfter behind: [N,C,H,W] -> [N,padBefore+C+padAfter,ceil(H/s),ceil(W/s)].
    virtual Value subsampleAndPadChannels(const Value& x, int64_t stride, int64_t padBefore, int64_t padAfter) = 0;
    /// Marks the logits [N, classes].
    virtual void output(const Value& logits) = 0;
};

} // namespace dfq::models
