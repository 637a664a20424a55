#include "quant/QuantHooks.h"

#include "quant/QuantError.h"

#include <torch/torch.h>

namespace dfq::quant {

const char* modeName(QuantMode m) {
    switch (m) {
    case QuantMode::Disabled: return "disabled";
    case QuantMode::Calibrating: return "calibrating";
    case QuantMode::Frozen: return "frozen";
    }
    return "?";
}

WeightQuantHook::WeightQuantHook(const LayerQuantSpec& spec)
    : layer_(spec.name), weightQ_(spec.name + ".weight", spec.weight, SteMode::PassThrough),
      inputQ_(spec.name + ".input", spec.input, SteMode::Clipped) {}

void WeightQuantHook::computeWeightRange(const torch::Tensor& w) {
    if (!weightQ_.enabled())
        return;
    requireFinite(w, "weight of layer", layer_);
    weightQ_.resetObserver();
    weightQ_.observe(w);
    weightQ_.freeze();
}

void WeightQuantHook::trackWeightRange(const torch::Tensor& w) {
    if (!weightQ_.enabled())
        return;
    torch::NoGradGuard ng;
    const auto flat = weightQ_.spec().perChannel ? w.detach().flatten(1) : w.detach().flatten().unsqueeze(0);
    auto mn = flat.amin(1), mx = flat.amax(1);
    if (!weightQ_.spec().perChannel) {
        mn = mn.squeeze(0);
        mx = mx.squeeze(0);
    }
    if (!torch::isfinite(mn).all().item<bool>() || !torch::isfinite(mx).all().item<bool>())
        requireFinite(w, "weight of layer", layer_);
    weightQ_.setRange({mn, mx});
}

torch::Tensor WeightQuantHook::weight(const torch::Tensor& w) {
    if (mode != QuantMode::Frozen || !weightQ_.enabled())
        return w;
    if (trackWeights)
        trackWeightRange(w);
    else if (!weightQ_.frozen())
        computeWeightRange(w);
    if (rounding)
        return rounding->fakeQuantize(w, weightQ_.params());
    return weightQ_.quantize(w);
}

torch::Tensor WeightQuantHook::input(const torch::Tensor& x) {
    if (!inputQ_.enabled())
        return x;
    switch (mode) {
    case QuantMode::Disabled: return x;
    case QuantMode::Calibrating: inputQ_.observe(x); return x;
    case QuantMode::Frozen: return inputQ_.quantize(x);
    }
    return x;
}

ActivationQuantHook::ActivationQuantHook(const ActivationQuantSpec& spec)
    : name_(spec.name), q_(spec.name, spec.output, SteMode::Clipped) {}

torch::Tensor ActivationQuantHook::apply(const torch::Tensor& x) {
    switch (mode) {
    case QuantMode::Disabled: return x;
    case QuantMode::Calibrating: q_.observe(x); return x;
    case QuantMode::Frozen: return q_.quantize(x);
    }
    return x;
}

} // namespace dfq::quant
