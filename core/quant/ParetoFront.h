#pragma once
// The size / sensitivity trade-off of mixed-precision weight bits, for the GUI's Pareto view: the
// allocations that no other allocation beats on both weight storage and total sensitivity Σ Ω.
// Each point is allocateBits' exact optimum for a budget; the budgets are spread evenly over
// [all layers at the fewest bits, all at the most], so the front is sampled (at most `budgets`
// points), every point on it is Pareto-optimal, and both ends are always present.
#include "quant/MixedPrecision.h"

#include <vector>

namespace dfq::quant {

/// Sorted by sizeBits ascending with totalOmega strictly decreasing; identical allocations merged.
/// budgets ≥ 2. Throws QuantError for a malformed table (as allocateBits).
std::vector<BitAllocation> paretoFront(const SensitivityTable& table, int budgets = 32);

} // namespace dfq::quant
