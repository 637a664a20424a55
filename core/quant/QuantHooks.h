#pragma once
// The hooks that put quantizers into a zoo model (models/LayerHooks.h): WeightQuantHook on a
// Conv2d/Linear (its weight and, under AllInputs, its input), ActivationQuantHook on a ReLU/ReLU6
// output. QuantizedModel attaches and drives them; later methods reach in through its accessors:
// AdaRound sets WeightQuantHook::rounding, BRECQ switches modes per residual block and makes
// activation steps learnable (TensorQuantizer::enableLearnableStep).
#include "models/LayerHooks.h"
#include "quant/TensorQuantizer.h"

#include <memory>

namespace dfq::quant {

enum class QuantMode {
    /// FP32: every hook is the identity (compare with the float model in place).
    Disabled,
    /// Activation/input quantizers' observers see the data; outputs stay FP32, so each site's range is
    /// measured on the float network's distribution, independent of the order of calibration and of
    /// the not-yet-frozen ranges upstream (as PyTorch's observer stage). Weights are FP32 too.
    Calibrating,
    /// Fake quantization with fixed ranges (activations) and cached weight ranges.
    Frozen,
};
const char* modeName(QuantMode m);

/// Replaces round-to-nearest for one layer's weights (AdaRound: a learnable per-element up/down
/// choice on the same grid). Gets the float weight and the layer's frozen grid, returns the
/// fake-quantized weight (differentiable where it wants gradients).
class WeightRounding {
public:
    virtual ~WeightRounding() = default;
    virtual torch::Tensor fakeQuantize(const torch::Tensor& w, const QuantParams& grid) = 0;
};

class WeightQuantHook : public models::WeightInputHook {
public:
    explicit WeightQuantHook(const LayerQuantSpec& spec);

    /// Frozen: x̂(w) with the cached per-channel range (STE passes gradients unchanged, GDFQ);
    /// otherwise w unchanged.
    torch::Tensor weight(const torch::Tensor& w) override;
    /// Input quantizer (AllInputs only; identity otherwise): observed in Calibrating, quantized in
    /// Frozen (clipped STE).
    torch::Tensor input(const torch::Tensor& x) override;

    const std::string& layer() const { return layer_; }
    TensorQuantizer& weightQuantizer() { return weightQ_; }
    TensorQuantizer& inputQuantizer() { return inputQ_; }

    /// Sets the weight range from w (observe once, freeze). Throws QuantError naming the layer on NaN/Inf.
    void computeWeightRange(const torch::Tensor& w);

    QuantMode mode = QuantMode::Calibrating;
    /// Recompute the weight range from the current weight on every forward (GDFQ's QAT, where the
    /// weights move). Off for PTQ: ranges are computed once and cached. While tracking, the range is
    /// the plain min/max of the weight (per channel when the spec is), whatever the configured
    /// observer: the GDFQ convention, and an MSE grid search on every forward would dominate the step.
    bool trackWeights = false;
    /// The min/max range of w (per channel when the spec is), set as the frozen range: what tracking
    /// uses, and how QAT leaves the ranges when it ends (the ones the student was trained with).
    void trackWeightRange(const torch::Tensor& w);
    /// When set, replaces the rounding of the weights in Frozen mode (AdaRound).
    std::shared_ptr<WeightRounding> rounding;

private:
    std::string layer_;
    TensorQuantizer weightQ_, inputQ_;
};

class ActivationQuantHook : public models::TensorHook {
public:
    explicit ActivationQuantHook(const ActivationQuantSpec& spec);
    /// Calibrating: observe, return x. Frozen: fake-quantize (clipped STE). Disabled: x.
    torch::Tensor apply(const torch::Tensor& x) override;

    const std::string& name() const { return name_; }
    TensorQuantizer& quantizer() { return q_; }
    QuantMode mode = QuantMode::Calibrating;

private:
    std::string name_;
    TensorQuantizer q_;
};

} // namespace dfq::quant
