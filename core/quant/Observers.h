#pragma once
// Range observers: they watch tensors (weights once, activations over calibration batches) and
// propose the clipping range [min, max] a quantizer is then built from (FakeQuantize.h).
//
//   "minmax"     running min / max over everything seen (ZeroQ; GDFQ weights).
//   "ema"        per-batch min / max smoothed by a plain EMA: m <- β·m + (1-β)·m_batch, β = 0.9 by
//                default, the first batch initialises m. No bias correction: the 1/(1-β^t) correction
//                exists for EMAs started at 0; started at the first batch's value the average is
//                already unbiased, and dividing again (as GDFQ/Qimera/IntraQ/ClusterQ do, methods.md
//                §0 and §8.3) inflates the ranges for ~150 steps. FDDA uses this plain form.
//   "percentile" asymmetric: [q_(100-p)(x), q_p(x)], the two tails clipped separately;
//                symmetric: [-q_p(|x|), q_p(|x|)]. p = 99.99 by default. q_p is the linear-
//                interpolation percentile (numpy's default, torch.quantile): rank r = p/100·(n-1),
//                value = x_(floor r) + (r - floor r)·(x_(ceil r) - x_(floor r)) over sorted x.
//                Over several batches the per-batch percentiles are averaged (equal weights).
//   "mse"        grid search of the clipping range: candidates α·[min, max] of the running min-max
//                range (α = 1, 1-1/G, ..., 1/G; symmetric: α·max|x|), each turned into a quantizer of
//                the configured bits/layout; the α minimising Σ|x - Q(x)|^p wins (p = 2 by default;
//                2.4 suits activations, as in BRECQ). Per channel for weights, so each output
//                channel gets its own α. Activations keep a strided subsample of at most
//                ObserverConfig::maxSamples values over all batches to search on.
//
// Per-channel observers reduce over all dims but 0 (output channels of a weight); per-tensor ones
// over everything. Observers work without gradients on detached float copies.
//
// Registry: makeObserver("name", config). Adding an observer is one file with the class plus one
// line in the table in Observers.cpp (or registerObserver() at run time).
#include "quant/ObserverConfig.h"

#include <torch/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dfq::quant {

/// A proposed range: min and max of shape [] (per tensor) or [C] (per channel), float32, min <= max.
struct Range {
    torch::Tensor min, max;
};

class Observer {
public:
    explicit Observer(ObserverConfig config) : config_(config) {}
    virtual ~Observer() = default;
    virtual std::string name() const = 0;
    /// Sees one tensor (a weight, or one batch of activations). Per-channel observers need the
    /// same size(0) every time.
    void observe(const torch::Tensor& x);
    /// The range so far. Throws QuantError when nothing was observed.
    Range range() const;
    bool hasData() const { return count_ > 0; }
    int64_t count() const { return count_; }
    virtual void reset() { count_ = 0; }
    const ObserverConfig& config() const { return config_; }

protected:
    /// x2d: [C, M] per channel or [1, M] per tensor, detached float32.
    virtual void observe2d(const torch::Tensor& x2d) = 0;
    /// Returns [C] or [1] tensors; range() squeezes the per-tensor case to [].
    virtual Range range2d() const = 0;

    ObserverConfig config_;
    int64_t count_ = 0;
};

class MinMaxObserver : public Observer {
public:
    using Observer::Observer;
    std::string name() const override { return "minmax"; }
    void reset() override;

protected:
    void observe2d(const torch::Tensor& x2d) override;
    Range range2d() const override;

private:
    torch::Tensor min_, max_;
};

class EmaMinMaxObserver : public Observer {
public:
    using Observer::Observer;
    std::string name() const override { return "ema"; }
    void reset() override;

protected:
    void observe2d(const torch::Tensor& x2d) override;
    Range range2d() const override;

private:
    torch::Tensor min_, max_;
};

class PercentileObserver : public Observer {
public:
    using Observer::Observer;
    std::string name() const override { return "percentile"; }
    void reset() override;

protected:
    void observe2d(const torch::Tensor& x2d) override;
    Range range2d() const override;

private:
    torch::Tensor sumMin_, sumMax_; ///< sums of the per-batch percentiles
};

class MseObserver : public Observer {
public:
    using Observer::Observer;
    std::string name() const override { return "mse"; }
    void reset() override;

protected:
    void observe2d(const torch::Tensor& x2d) override;
    Range range2d() const override;

private:
    torch::Tensor min_, max_;  ///< running min / max (the α = 1 candidate)
    torch::Tensor samples_;    ///< [C, M] values searched on
};

/// Linear-interpolation percentile of each row of x2d [R, M], p in [0, 100] -> [R].
torch::Tensor rowPercentile(const torch::Tensor& x2d, double p);

/// Lp quantization error Σ|x - Q(x)|^p of each row of x2d for the range [min, max] (both [R]).
torch::Tensor rowQuantError(const torch::Tensor& x2d, const torch::Tensor& min, const torch::Tensor& max,
                            const ObserverConfig& config);

using ObserverFactory = std::function<std::unique_ptr<Observer>(const ObserverConfig&)>;

/// Builds a registered observer. Throws QuantError listing the known names.
std::unique_ptr<Observer> makeObserver(const std::string& name, const ObserverConfig& config = {});
bool hasObserver(const std::string& name);
std::vector<std::string> observerNames();
/// Adds (or replaces) an observer kind at run time.
void registerObserver(const std::string& name, ObserverFactory factory);

} // namespace dfq::quant
