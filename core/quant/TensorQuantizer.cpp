#include "quant/TensorQuantizer.h"

#include "quant/QuantError.h"

#include <torch/torch.h>

namespace dfq::quant {

void requireFinite(const torch::Tensor& x, const std::string& what, const std::string& site) {
    torch::NoGradGuard ng;
    if (!torch::isfinite(x).all().item<bool>())
        throw QuantError(what + " '" + site + "' contains NaN or Inf");
}

TensorQuantizer::TensorQuantizer(std::string site, TensorQuantSpec spec, SteMode ste)
    : site_(std::move(site)), spec_(std::move(spec)), ste_(ste) {
    if (enabled())
        observer_ = makeObserver(spec_.observer, spec_.effectiveObserverConfig());
}

void TensorQuantizer::observe(const torch::Tensor& x) {
    if (!enabled())
        return;
    requireFinite(x, "tensor at", site_);
    observer_->observe(x);
}

void TensorQuantizer::resetObserver() {
    if (observer_)
        observer_->reset();
}

void TensorQuantizer::freeze() {
    if (!enabled())
        return;
    if (!observer_->hasData())
        throw QuantError("quantizer '" + site_ + "' saw no data: its range cannot be set (was the layer reached "
                         "during calibration?)");
    setRange(observer_->range());
}

void TensorQuantizer::setRange(const Range& r) {
    if (!enabled())
        return;
    requireFinite(r.min, "range of", site_);
    requireFinite(r.max, "range of", site_);
    setParams(computeQuantParams(r.min, r.max, spec_.bits, chooseScheme(spec_.symmetric, r.min)));
}

void TensorQuantizer::setParams(QuantParams p) {
    params_ = std::move(p);
    step_ = torch::Tensor();
}

const QuantParams& TensorQuantizer::params() const {
    if (!params_.defined())
        throw QuantError("quantizer '" + site_ + "' has no range yet (calibrate or freeze first)");
    return params_;
}

torch::Tensor TensorQuantizer::quantize(const torch::Tensor& x) const {
    if (!enabled())
        return x;
    const QuantParams& p = params();
    if (step_.defined()) {
        // Per-tensor zero point folded into the bounds: (clamp(round(v)+z) - z) = clamp(round(v), qmin-z, qmax-z).
        const int64_t z = p.perChannel() ? 0 : int64_t(p.zeroPoint.item<float>());
        return lsqFakeQuantize(x, step_, p.qmin - z, p.qmax - z);
    }
    return fakeQuantize(x, p, ste_);
}

torch::Tensor TensorQuantizer::enableLearnableStep() {
    const QuantParams& p = params();
    if (p.perChannel() && p.zeroPoint.ne(0).any().item<bool>())
        throw QuantError("quantizer '" + site_ + "': per-channel LSQ needs a symmetric layout (zero points 0)");
    step_ = p.scale.detach().clone().set_requires_grad(true);
    return step_;
}

void TensorQuantizer::disableLearnableStep() {
    if (!step_.defined())
        return;
    torch::NoGradGuard ng;
    params_.scale = step_.detach().clone().clamp_min(kMinScale);
    step_ = torch::Tensor();
}

nlohmann::json TensorQuantizer::toJson() const {
    nlohmann::json j = {{"site", site_}, {"bits", spec_.bits}};
    if (!enabled())
        return j;
    j["per_channel"] = spec_.perChannel;
    j["observer"] = spec_.observer;
    if (!params_.defined()) {
        j["frozen"] = false;
        return j;
    }
    torch::NoGradGuard ng;
    const QuantParams p = step_.defined() ? [&] { QuantParams q = params_; q.scale = step_.detach(); return q; }()
                                          : params_;
    auto list = [](const torch::Tensor& t) {
        const torch::Tensor c = t.detach().to(torch::kDouble).reshape({-1}).contiguous();
        return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    };
    j["frozen"] = true;
    j["scheme"] = schemeName(p.scheme);
    j["min"] = list(p.rangeMin());
    j["max"] = list(p.rangeMax());
    j["scale"] = list(p.scale);
    j["zero_point"] = list(p.zeroPoint);
    return j;
}

} // namespace dfq::quant
