#include "quant/ParetoFront.h"

#include "quant/QuantError.h"

#include <algorithm>

namespace dfq::quant {

std::vector<BitAllocation> paretoFront(const SensitivityTable& t, int budgets) {
    if (t.layers.empty() || t.bits.empty())
        throw QuantError("paretoFront: the sensitivity table is empty");
    budgets = std::max(2, budgets);
    const int lo = *std::min_element(t.bits.begin(), t.bits.end());
    const int hi = *std::max_element(t.bits.begin(), t.bits.end());
    int64_t weights = 0;
    for (int64_t w : t.weightCounts)
        weights += w;
    const int64_t minSize = weights * lo, maxSize = weights * hi;

    std::vector<BitAllocation> points;
    for (int i = 0; i < budgets; ++i) {
        // Integer interpolation: the last budget is exactly maxSize.
        const int64_t budget = minSize + (maxSize - minSize) * i / (budgets - 1);
        BitAllocation a = allocateBits(t, budget);
        if (std::none_of(points.begin(), points.end(), [&](const BitAllocation& p) { return p.bits == a.bits; }))
            points.push_back(std::move(a));
    }
    // Each point minimises Ω under its budget, but a larger budget can return an allocation of the
    // same Ω that is bigger: keep only points that buy a strictly smaller Ω with their size.
    std::sort(points.begin(), points.end(), [](const BitAllocation& a, const BitAllocation& b) {
        return a.sizeBits != b.sizeBits ? a.sizeBits < b.sizeBits : a.totalOmega < b.totalOmega;
    });
    std::vector<BitAllocation> front;
    for (auto& p : points)
        if (front.empty() || p.totalOmega < front.back().totalOmega)
            front.push_back(std::move(p));
    return front;
}

} // namespace dfq::quant
