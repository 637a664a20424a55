#pragma once
#include <string>

namespace dfq::quant {

/// Everything an observer needs to know about the quantizer it serves. Plain data (no torch), so
/// QuantSpec can carry it and write it to JSON.
struct ObserverConfig {
    /// Per output channel along dim 0 (weights) or one range for the whole tensor (activations).
    bool perChannel = false;
    /// Target bit width and layout; only the "mse" observer uses them (it measures the error of the
    /// quantizer it chooses a range for), the others ignore them.
    int bits = 8;
    bool symmetric = false;
    /// "ema": m <- beta*m + (1-beta)*batch_stat, first batch initialises (no bias correction).
    double emaBeta = 0.9;
    /// "percentile": the range is [q_(100-p), q_p] of the values (asymmetric) or [-q_p(|x|), q_p(|x|)]
    /// (symmetric), p in (50, 100].
    double percentile = 99.99;
    /// "mse": minimise sum |x - Q(x)|^p over a grid of shrink factors alpha of the min-max range.
    double lpNorm = 2.0;
    int gridSteps = 100;   ///< alpha in {1, 1 - 1/G, ..., 1/G}: G candidates
    /// "mse" on activations keeps a strided subsample of at most this many values (over all batches).
    long long maxSamples = 1LL << 18;
};

} // namespace dfq::quant
