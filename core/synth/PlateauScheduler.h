#pragma once
#include <cstdint>
#include <limits>

namespace dfq::synth {

/// torch.optim.lr_scheduler.ReduceLROnPlateau in 'min' mode with a relative threshold and no
/// cooldown (what ZeroQ uses; LibTorch 1.13 has no C++ equivalent): when the metric has not improved
/// on its best by a factor (1 − threshold) for more than `patience` consecutive steps, lr becomes
/// max(lr·factor, minLr) and the count restarts.
class PlateauScheduler {
public:
    PlateauScheduler(double lr, int64_t patience = 100, double factor = 0.1, double minLr = 1e-4,
                     double threshold = 1e-4);
    /// Feeds one metric value; returns the learning rate to use from now on.
    double step(double metric);
    double lr() const { return lr_; }
    /// Overrides the learning rate (e.g. halved after a divergence); best and count are kept.
    void setLr(double lr) { lr_ = lr; }
    int64_t badSteps() const { return bad_; }

private:
    double lr_;
    int64_t patience_;
    double factor_, minLr_, threshold_;
    double best_ = std::numeric_limits<double>::infinity();
    int64_t bad_ = 0;
};

} // namespace dfq::synth
