#pragma once
#include "data/Normalization.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace dfq::synth {

/// One optimisation step of one batch (pixel and generator methods), kept for plots and reports.
/// The diagnostics describe the batch the teacher saw at that step; NaN where not measured.
struct StepRecord {
    int64_t batch = 0;
    int64_t iteration = 0;                  ///< within the batch, 0-based
    double lr = 0;                          ///< learning rate used for this step
    std::map<std::string, double> terms;    ///< "total" and the named loss terms
    double bnKl = std::nan("");             ///< mean over BN layers of the batch-statistics Gaussian KL, nats
    double confidence = std::nan("");       ///< mean max softmax probability of the teacher, [1/K, 1]
    double entropy = std::nan("");          ///< mean entropy of the teacher's prediction, nats
    double featureDiversity = std::nan(""); ///< intra-class (by the teacher's argmax) diversity of penultimate features
};

/// Calibration images produced without the training data (or, for "real", taken from it).
struct SyntheticSet {
    torch::Tensor images;                   ///< [N,C,H,W] float32, contiguous, in the model's normalised input space
    torch::Tensor labels;                   ///< [N] int64: the teacher's argmax (or the target class of conditional methods)
    int64_t numClasses = 0;
    std::vector<std::string> classNames;    ///< [numClasses] or empty when the model does not name its classes
    /// How pixels in [0,1] map to `images` (x' = (x − mean)/std per channel); empty mean/std = identity.
    /// Export de-normalises with it.
    data::Normalization normalization;

    std::string method;                     ///< registry name, e.g. "zeroq"
    nlohmann::json options;                 ///< the resolved options (defaults filled in)
    uint64_t seed = 0;
    std::string modelArch;                  ///< the teacher's zoo name
    std::vector<StepRecord> steps;          ///< per-step diagnostics (pixel methods; empty for noise/real)
    std::vector<std::string> notes;         ///< non-fatal events, e.g. a recovered NaN
    double seconds = 0;                     ///< wall time of the synthesis
    int64_t batches = 0;

    int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

} // namespace dfq::synth
