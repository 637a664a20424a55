#pragma once
// Mixed-precision bit allocation (ZeroQ, Cai et al. CVPR 2020, methods.md §1).
//
// Sensitivity: Ω_i(k) = mean over images of KL(M(x) ‖ M_{i,k}(x)) where M is the FP32 model and
// M_{i,k} the same model with ONLY layer i's weight quantized at k bits (per-channel asymmetric
// min-max, the spec's weight layout); activations stay FP32 in this measurement (as ZeroQ's
// weight-only sensitivity), so Ω isolates the weight error of one layer.
//
// Pareto search: minimise Σ_i Ω_i(k_i) subject to Σ_i |W_i|·k_i ≤ S_target (bits), by dynamic
// programming over the layers with the size budget in units of gcd of all |W_i|·k (exact, no
// rounding of sizes). Ties in Ω are broken towards the smaller model.
#include "quant/BatchSource.h"
#include "quant/QuantSpec.h"
#include "models/ZooModel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dfq::quant {

/// One row per layer: its weight count and Ω at each candidate bit width.
struct SensitivityTable {
    std::vector<std::string> layers;
    std::vector<int64_t> weightCounts;       ///< |W_i|
    std::vector<int> bits;                   ///< the candidates, e.g. {2, 4, 8}
    std::vector<std::vector<double>> omega;  ///< omega[i][j] = Ω_i(bits[j])
};

struct BitAllocation {
    std::vector<int> bits;   ///< per layer (same order as the table)
    double totalOmega = 0;
    int64_t sizeBits = 0;    ///< Σ |W_i|·k_i
};

/// Exact DP. Throws QuantError when even the smallest choice exceeds the budget or the table is
/// malformed.
BitAllocation allocateBits(const SensitivityTable& table, int64_t budgetBits);
/// Exhaustive search (for tests; |bits|^layers combinations).
BitAllocation allocateBitsBruteForce(const SensitivityTable& table, int64_t budgetBits);

/// Ω for every layer of spec (its quantized weight layers) and candidate. The model is used in place
/// (hooks attached and detached); nImages taken from source once.
SensitivityTable measureSensitivity(models::ZooModel model, const QuantSpec& spec, BatchSource& source,
                                    const std::vector<int>& candidates = {2, 4, 8}, int64_t maxImages = 256);

/// spec with per-layer weight bits from the allocation (layers absent from the table unchanged).
QuantSpec applyAllocation(QuantSpec spec, const SensitivityTable& table, const BitAllocation& alloc);

} // namespace dfq::quant
