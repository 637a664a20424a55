#pragma once
// What the generator-student loop reports, beyond the per-iteration synthesis events it also sends
// (progress; lossTerms with "g_total", "g_ce", "g_bns", the method's "g_<term>" and "s_kd"; snapshot
// and layerDiagnostics of the probe images at every epoch end). Plain C++, called on the training
// thread; defaults do nothing.
#include "synth/SetAssessment.h"
#include "synth/SynthesisEvents.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cmath>
#include <map>
#include <string>

namespace dfq::generative {

struct EpochReport {
    int64_t epoch = 0;                        ///< 1-based, of `epochs`
    int64_t epochs = 0;
    int64_t iterations = 0;                   ///< iterations done in total
    bool studentTrained = false;              ///< false during warm-up (and for a generator-only run)
    bool rangesFrozen = false;                ///< activation ranges no longer follow the EMA
    std::map<std::string, double> meanTerms;  ///< every loss term averaged over the epoch's iterations
    double generatorLr = 0, studentLr = 0;    ///< used in this epoch
    double studentTop1 = std::nan("");        ///< on the user's test data, for the curves only (NaN: none given)
    double seconds = 0;                       ///< wall time of the epoch
    /// The fixed probe (probe_per_class images per class, the same z and y every epoch) as the
    /// generator renders them at the end of the epoch, assessed like a synthetic set: BN divergence
    /// per layer, diversity and mode collapse per class, penultimate-feature centroids and their map.
    synth::SetAssessment probe;
    torch::Tensor probeImages;                ///< uint8 [n,H,W,C], probe_per_class per class, class-major
    torch::Tensor probeLabels;                ///< [n] the conditioning classes
    /// Method-specific state for plots (ClusterQ: "centroid_means" [K,C] of the deepest clustered
    /// layer, "centroid_initialised" [K]); method-specific numbers in `methodJson`.
    std::map<std::string, torch::Tensor> methodTensors;
    nlohmann::json methodJson = nlohmann::json::object();
};

class JointEvents : public synth::SynthesisEvents {
public:
    virtual void epochFinished(const EpochReport&) {}
};

} // namespace dfq::generative
