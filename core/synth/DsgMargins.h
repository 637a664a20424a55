#pragma once
// DSG's slack margins: how far per-sample BN statistics of plain Gaussian inputs already stray from the
// running statistics. Protocol (ours; DSG does not publish one) in docs/methods-notes.md.
#include "synth/BnStatTap.h"
#include "synth/Losses.h"

#include <ATen/core/Generator.h>

namespace dfq::synth {

/// What the Gaussian inputs' per-sample statistics are compared with.
enum class MarginReference {
    /// The BN running statistics, as DSG's text reads: |μ̃_n − μ_run|. On trained and BN-fitted
    /// models Gaussian inputs are *systematically* off, so every gap is large and the slack swallows
    /// almost the whole loss: the images stay noise-like (measured, docs/methods-notes.md).
    Running,
    /// The Gaussian batch's own mean statistics: |μ̃_n − mean_n μ̃_n|, i.e. how much single samples
    /// naturally scatter around their population; the slack then tolerates that scatter around
    /// the running statistics while the population is still pulled onto them.
    Spread,
};

struct MarginProtocol {
    MarginReference reference = MarginReference::Spread;
    int64_t batches = 4;          ///< Gaussian batches drawn
    int64_t batchSize = 64;       ///< images per batch
    double percentile = 0.9;      ///< ε: the quantile taken per channel, in [0,1]
    double eps = 1e-6;            ///< std = sqrt(var + eps), as in the loss
};

/// Draws protocol.batches × batchSize images N(0,1) of the model's input shape from `gen`, runs the
/// (frozen, eval-mode) model on them without autograd, and returns per BN layer l and channel c
///   delta_l[c] = quantile_ε over all samples n of |μ̃_nlc − m_lc|,
///   gamma_l[c] = quantile_ε over all samples n of |σ̃_nlc − s_lc|,
/// with per-sample statistics μ̃, σ̃ = sqrt(var + eps), and (m, s) the running statistics (Running) or
/// the means of μ̃, σ̃ over all drawn samples (Spread). Quantile with linear interpolation, as numpy /
/// torch.quantile. `tap` must be attached to `model`; it is cleared afterwards.
SdaMargins estimateSdaMargins(models::ZooModelImpl& model, BnStatTap& tap, const MarginProtocol& protocol,
                              at::Generator& gen);

} // namespace dfq::synth
