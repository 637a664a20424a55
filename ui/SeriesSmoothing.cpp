#include "SeriesSmoothing.h"

#include <cmath>
#include <limits>

namespace dfq::ui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

QVector<double> debiasedEma(const QVector<double>& y, double weight) {
    if (!(weight >= 0 && weight < 1))
        weight = 0;
    QVector<double> out(y.size(), kNaN);
    double m = 0, decay = 1;   // decay = w^k
    for (int t = 0; t < y.size(); ++t) {
        if (!std::isfinite(y[t]))
            continue;
        m = weight * m + (1 - weight) * y[t];
        decay *= weight;
        out[t] = m / (1 - decay);
    }
    return out;
}

QVector<double> movingAverage(const QVector<double>& y, int window) {
    window = std::max(1, window);
    QVector<double> out(y.size(), kNaN);
    // Running sums over the window, finite points only (compensated would be overkill for plots).
    double sum = 0;
    int count = 0;
    for (int t = 0; t < y.size(); ++t) {
        if (std::isfinite(y[t])) {
            sum += y[t];
            ++count;
        }
        const int drop = t - window;
        if (drop >= 0 && std::isfinite(y[drop])) {
            sum -= y[drop];
            --count;
        }
        if (std::isfinite(y[t]) && count > 0)
            out[t] = sum / count;
    }
    return out;
}

} // namespace dfq::ui
