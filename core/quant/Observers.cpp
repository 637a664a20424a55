#include "quant/Observers.h"

#include "quant/FakeQuantize.h"
#include "quant/QuantError.h"

#include <torch/torch.h>

#include <cmath>
#include <mutex>
#include <utility>

namespace dfq::quant {

using torch::indexing::None;
using torch::indexing::Slice;

void Observer::observe(const torch::Tensor& x) {
    if (!x.defined() || x.numel() == 0)
        throw QuantError(name() + " observer: empty tensor");
    torch::NoGradGuard ng;
    torch::Tensor t = x.detach().to(torch::kFloat);
    torch::Tensor x2d;
    if (config_.perChannel) {
        if (t.dim() < 1)
            throw QuantError(name() + " observer: per-channel observation needs a tensor with a channel dim 0");
        x2d = t.reshape({t.size(0), -1});
    } else {
        x2d = t.reshape({1, -1});
    }
    observe2d(x2d);
    ++count_;
}

Range Observer::range() const {
    if (count_ == 0)
        throw QuantError(name() + " observer: no data observed yet");
    torch::NoGradGuard ng;
    Range r = range2d();
    if (!config_.perChannel) {
        r.min = r.min.reshape({});
        r.max = r.max.reshape({});
    }
    return r;
}

namespace {

void checkChannels(const torch::Tensor& have, const torch::Tensor& x2d, const std::string& who) {
    if (have.defined() && have.size(0) != x2d.size(0))
        throw QuantError(who + " observer: saw " + std::to_string(have.size(0)) + " channels before, now " +
                         std::to_string(x2d.size(0)));
}

/// Symmetric ranges of non-negative data keep min = 0, so the quantizer becomes unsigned
/// (chooseScheme) instead of wasting half its codes on negatives that never occur.
Range symmetricRange(const torch::Tensor& absMax, const torch::Tensor& dataMin) {
    const torch::Tensor nonNeg = dataMin.ge(0);
    return {torch::where(nonNeg, torch::zeros_like(absMax), -absMax), absMax};
}

} // namespace

// ---- minmax ------------------------------------------------------------------------------------

void MinMaxObserver::reset() {
    Observer::reset();
    min_ = max_ = torch::Tensor();
}

void MinMaxObserver::observe2d(const torch::Tensor& x2d) {
    checkChannels(min_, x2d, name());
    const torch::Tensor mn = x2d.amin(1), mx = x2d.amax(1);
    min_ = min_.defined() ? torch::minimum(min_, mn) : mn;
    max_ = max_.defined() ? torch::maximum(max_, mx) : mx;
}

Range MinMaxObserver::range2d() const { return {min_.clone(), max_.clone()}; }

// ---- ema ---------------------------------------------------------------------------------------

void EmaMinMaxObserver::reset() {
    Observer::reset();
    min_ = max_ = torch::Tensor();
}

void EmaMinMaxObserver::observe2d(const torch::Tensor& x2d) {
    checkChannels(min_, x2d, name());
    const torch::Tensor mn = x2d.amin(1), mx = x2d.amax(1);
    if (!min_.defined()) {
        min_ = mn;
        max_ = mx;
        return;
    }
    const double b = config_.emaBeta;
    min_ = b * min_ + (1.0 - b) * mn;
    max_ = b * max_ + (1.0 - b) * mx;
}

Range EmaMinMaxObserver::range2d() const { return {min_.clone(), max_.clone()}; }

// ---- percentile --------------------------------------------------------------------------------

torch::Tensor rowPercentile(const torch::Tensor& x2d, double p) {
    if (!(p >= 0.0 && p <= 100.0))
        throw QuantError("percentile must be in [0, 100], got " + std::to_string(p));
    const int64_t n = x2d.size(1);
    const double rank = p / 100.0 * double(n - 1);
    const int64_t lo = int64_t(std::floor(rank));
    const int64_t hi = std::min<int64_t>(lo + 1, n - 1);
    const double frac = rank - double(lo);
    // kthvalue is 1-based and linear time; no size limit unlike torch::quantile (2^24 elements).
    const torch::Tensor vlo = std::get<0>(x2d.kthvalue(lo + 1, 1));
    if (frac == 0.0 || hi == lo)
        return vlo;
    const torch::Tensor vhi = std::get<0>(x2d.kthvalue(hi + 1, 1));
    return vlo + frac * (vhi - vlo);
}

void PercentileObserver::reset() {
    Observer::reset();
    sumMin_ = sumMax_ = torch::Tensor();
}

void PercentileObserver::observe2d(const torch::Tensor& x2d) {
    checkChannels(sumMin_, x2d, name());
    const double p = config_.percentile;
    if (!(p > 50.0 && p <= 100.0))
        throw QuantError("percentile observer: p must be in (50, 100], got " + std::to_string(p));
    Range r;
    if (config_.symmetric)
        r = symmetricRange(rowPercentile(x2d.abs(), p), x2d.amin(1));
    else
        r = {rowPercentile(x2d, 100.0 - p), rowPercentile(x2d, p)};
    sumMin_ = sumMin_.defined() ? sumMin_ + r.min : r.min;
    sumMax_ = sumMax_.defined() ? sumMax_ + r.max : r.max;
}

Range PercentileObserver::range2d() const { return {sumMin_ / double(count_), sumMax_ / double(count_)}; }

// ---- mse / Lp search ---------------------------------------------------------------------------

torch::Tensor rowQuantError(const torch::Tensor& x2d, const torch::Tensor& min, const torch::Tensor& max,
                            const ObserverConfig& config) {
    const QuantScheme scheme = chooseScheme(config.symmetric, min);
    const QuantParams qp = computeQuantParams(min, max, config.bits, scheme);
    const torch::Tensor diff = (x2d - fakeQuantize(x2d, qp)).abs();
    const torch::Tensor e = config.lpNorm == 2.0 ? diff.square() : diff.pow(config.lpNorm);
    return e.sum(1);
}

void MseObserver::reset() {
    Observer::reset();
    min_ = max_ = samples_ = torch::Tensor();
}

void MseObserver::observe2d(const torch::Tensor& x2d) {
    checkChannels(min_, x2d, name());
    const torch::Tensor mn = x2d.amin(1), mx = x2d.amax(1);
    min_ = min_.defined() ? torch::minimum(min_, mn) : mn;
    max_ = max_.defined() ? torch::maximum(max_, mx) : mx;
    samples_ = samples_.defined() ? torch::cat({samples_, x2d}, 1) : x2d.clone();
    // Keep memory bounded: halve the sample by striding until it fits.
    const int64_t cap = std::max<int64_t>(config_.maxSamples, samples_.size(0));
    while (samples_.numel() > cap)
        samples_ = samples_.index({Slice(), Slice(None, None, 2)}).contiguous();
}

Range MseObserver::range2d() const {
    if (config_.bits < 2 || config_.bits > 8)
        throw QuantError("mse observer: bits must be in 2..8, got " + std::to_string(config_.bits));
    const int steps = std::max(1, config_.gridSteps);
    Range base;
    if (config_.symmetric)
        base = symmetricRange(torch::maximum(min_.abs(), max_.abs()), min_);
    else
        base = {min_.clamp_max(0.0), max_.clamp_min(0.0)};
    torch::Tensor bestErr, bestMin, bestMax;
    for (int i = 0; i < steps; ++i) {
        const double alpha = 1.0 - double(i) / double(steps);
        const torch::Tensor cmin = base.min * alpha, cmax = base.max * alpha;
        const torch::Tensor err = rowQuantError(samples_, cmin, cmax, config_);
        if (!bestErr.defined()) {
            bestErr = err;
            bestMin = cmin;
            bestMax = cmax;
            continue;
        }
        const torch::Tensor better = err.lt(bestErr);
        bestErr = torch::where(better, err, bestErr);
        bestMin = torch::where(better, cmin, bestMin);
        bestMax = torch::where(better, cmax, bestMax);
    }
    return {bestMin, bestMax};
}

// ---- registry ----------------------------------------------------------------------------------

namespace {

template <class T>
ObserverFactory factoryOf() {
    return [](const ObserverConfig& c) { return std::unique_ptr<Observer>(new T(c)); };
}

struct Registry {
    std::mutex mutex;
    std::vector<std::pair<std::string, ObserverFactory>> entries{
        {"minmax", factoryOf<MinMaxObserver>()},
        {"ema", factoryOf<EmaMinMaxObserver>()},
        {"percentile", factoryOf<PercentileObserver>()},
        {"mse", factoryOf<MseObserver>()},
    };
};

Registry& registry() {
    static Registry r;
    return r;
}

} // namespace

std::unique_ptr<Observer> makeObserver(const std::string& name, const ObserverConfig& config) {
    ObserverFactory f;
    {
        Registry& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        for (const auto& [n, fac] : r.entries)
            if (n == name)
                f = fac;
    }
    if (!f) {
        std::string known;
        for (const auto& n : observerNames())
            known += (known.empty() ? "" : ", ") + n;
        throw QuantError("unknown observer '" + name + "' (known: " + known + ")");
    }
    return f(config);
}

bool hasObserver(const std::string& name) {
    for (const auto& n : observerNames())
        if (n == name)
            return true;
    return false;
}

std::vector<std::string> observerNames() {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    std::vector<std::string> out;
    for (const auto& e : r.entries)
        out.push_back(e.first);
    return out;
}

void registerObserver(const std::string& name, ObserverFactory factory) {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    for (auto& e : r.entries)
        if (e.first == name) {
            e.second = std::move(factory);
            return;
        }
    r.entries.emplace_back(name, std::move(factory));
}

} // namespace dfq::quant
