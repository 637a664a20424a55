#include "synth/PlateauScheduler.h"

#include <algorithm>

namespace dfq::synth {

PlateauScheduler::PlateauScheduler(double lr, int64_t patience, double factor, double minLr, double threshold)
    : lr_(lr), patience_(patience), factor_(factor), minLr_(minLr), threshold_(threshold) {}

double PlateauScheduler::step(double metric) {
    if (metric < best_ * (1.0 - threshold_)) {
        best_ = metric;
        bad_ = 0;
    } else {
        ++bad_;
    }
    if (bad_ > patience_) {
        const double next = std::max(lr_ * factor_, minLr_);
        // PyTorch skips changes smaller than its eps (1e-8) so lr settles exactly at min_lr.
        if (lr_ - next > 1e-8)
            lr_ = next;
        bad_ = 0;
    }
    return lr_;
}

} // namespace dfq::synth
