#pragma once
// Deployment-style BatchNorm folding: each BN that directly follows a Conv2d (ZooModel::bnLayers()
// gives the pairs) is merged into the conv, per output channel c:
//     s_c  = γ_c / sqrt(running_var_c + eps)          (γ = 1 without affine)
//     W'_c = W_c · s_c
//     b'_c = β_c + (b_c - running_mean_c) · s_c       (b = 0 when the conv had no bias; β = 0 without affine)
// The folded weight is written into conv->weight in place (same parameter tensor), the bias into
// conv->bias (registered as a new parameter "bias" when the conv had none), and bn->enabled = false,
// so the BN module stays (its hook still sees its input) but passes data through unchanged.
// This reproduces the eval-mode network (running statistics), not train mode; it is irreversible
// on the shared model: clone or reload it first if the unfolded float model is still needed.
// GDFQ keeps BN unfolded (QuantSpec::foldBn = false); folding first quantizes the folded weights,
// as integer runtimes do.
#include "models/ZooModel.h"

#include <string>
#include <utility>
#include <vector>

namespace dfq::quant {

struct FoldReport {
    std::vector<std::pair<std::string, std::string>> folded; ///< (bn, conv) pairs, forward order
    std::vector<std::string> skipped;                        ///< BNs with no conv before them, or already folded
};

/// Folds every foldable BN of the model. Throws QuantError naming the BN when its channel count
/// differs from the conv's output channels or its statistics are not finite.
FoldReport foldBatchNorms(models::ZooModelImpl& model);

} // namespace dfq::quant
