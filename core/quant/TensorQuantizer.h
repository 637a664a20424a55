#pragma once
// One quantization site (a layer's weight, a layer's input, or an activation output): its spec, its
// observer, and once frozen its parameters. The hooks (QuantHooks.h) own one TensorQuantizer per site.
#include "quant/FakeQuantize.h"
#include "quant/Observers.h"
#include "quant/QuantSpec.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace dfq::quant {

class TensorQuantizer {
public:
    /// site: a name for messages and JSON, e.g. "layer1.0.conv1.weight", "layer1.0.relu1".
    /// ste: gradient rule of quantize() (FakeQuantize.h).
    TensorQuantizer(std::string site, TensorQuantSpec spec, SteMode ste);

    const std::string& site() const { return site_; }
    const TensorQuantSpec& spec() const { return spec_; }
    /// False for bits = 32: quantize() is the identity and nothing needs calibrating.
    bool enabled() const { return spec_.quantized(); }

    /// Feeds the observer (no gradient). Throws QuantError naming the site on NaN/Inf.
    void observe(const torch::Tensor& x);
    /// Forgets what the observer saw (the frozen parameters stay until the next freeze()).
    void resetObserver();
    Observer& observer() { return *observer_; }

    /// Parameters from the observer's range: the layout follows the spec (asymmetric; or symmetric,
    /// unsigned when the range's min >= 0). Throws QuantError naming the site if it saw nothing.
    void freeze();
    /// Parameters from a given range ([] or [C]), e.g. a BRECQ/MSE initialisation or a saved result.
    void setRange(const Range& r);
    void setParams(QuantParams p);
    bool frozen() const { return params_.defined(); }
    /// Throws QuantError naming the site when not frozen.
    const QuantParams& params() const;

    /// Fake-quantizes x with the frozen parameters (or the learnable LSQ step when enabled).
    /// Identity when !enabled(). Throws QuantError naming the site when not frozen.
    torch::Tensor quantize(const torch::Tensor& x) const;

    /// LSQ: from now on quantize() uses a learnable step initialised to the frozen scale (returned,
    /// requires_grad; hand it to an optimiser). The zero point stays fixed, folded into the bounds;
    /// per-channel LSQ needs a symmetric layout (zero points 0). Throws QuantError otherwise.
    torch::Tensor enableLearnableStep();
    /// Copies the learned step into the frozen scale and goes back to plain fake quantization.
    void disableLearnableStep();
    const torch::Tensor& learnableStep() const { return step_; }

    /// {"site", "bits", "scheme", "per_channel", "observer", "min": [...], "max": [...]} (the
    /// represented range per channel), or just {"site", "bits": 32}.
    nlohmann::json toJson() const;

private:
    std::string site_;
    TensorQuantSpec spec_;
    SteMode ste_;
    std::unique_ptr<Observer> observer_;
    QuantParams params_;
    torch::Tensor step_;
};

/// Throws QuantError("<what> '<site>' contains NaN or Inf") unless every value of x is finite.
void requireFinite(const torch::Tensor& x, const std::string& what, const std::string& site);

} // namespace dfq::quant
