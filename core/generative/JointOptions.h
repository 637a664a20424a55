#pragma once
// The options of the generator-student loop (methods.md §0, §2), shared by every generator method,
// and the budgets that set them.
//
// Budgets (any field can still be given explicitly, it wins over the budget):
//   "quick"     the embedded default in well under 5 minutes on 2 cores: the teaching demo (narrow generator)
//   "standard"  CIFAR-10 ResNet-20 in about 30 minutes on 2 cores (sized from measured step times,
//               docs/benchmarks.md), for the comparison tables
//   "paper"     GDFQ's published schedule: 400 epochs × 200 iterations, batch 200, warm-up 4, ranges
//               for 4 epochs, lr ×0.1 at epochs 100/200/300 (for a bigger machine)
#include "synth/MethodOptions.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace dfq::generative {

struct JointOptions {
    int64_t epochs = 400;
    int64_t itersPerEpoch = 200;
    int64_t batchSize = 200;
    int64_t warmupEpochs = 4;        ///< generator only; the student is not updated
    int64_t rangeEpochs = 4;         ///< activation ranges follow a plain EMA in epochs [0, rangeEpochs), then frozen
    std::vector<int64_t> lrMilestones{100, 200, 300};  ///< epochs at which both learning rates are multiplied by lrFactor
    double lrFactor = 0.1;
    // generator
    std::string generatorVariant = "auto";
    int64_t latentDim = 100;
    int64_t generatorWidth = 128;    ///< c1; c2 = c1 / 2
    double generatorBnEps = 0.8;
    double generatorLr = 1e-3, beta1 = 0.5, beta2 = 0.999;
    double ceWeight = 1.0, bnsWeight = 0.1;
    // student (quant::QatOptions)
    double studentLr = 1e-4, momentum = 0.9, weightDecay = 1e-4;
    double alpha = 1.0, temperature = 20.0;
    std::string klReduction = "mean";
    // teacher speed-ups (same losses)
    bool channelsLast = true, foldBn = true;
    // divergence detection
    double explodeRatio = 1e4;       ///< a generator loss above this × the first epoch's median is a divergence
    // what each epoch reports
    int64_t probePerClass = 8;       ///< fixed (z, y) probe images per class, rendered every epoch
    std::string budget = "standard";
};

/// The option specs every generator method has (validated by synth::resolveOptions).
std::vector<synth::OptionSpec> jointOptionSpecs();
/// {key: value} a budget sets; throws GenerativeError for an unknown budget.
nlohmann::json budgetOptions(const std::string& budget);
std::vector<std::string> budgetNames();
/// Parses resolved options (jointOptionSpecs keys; other keys are the method's and ignored here);
/// throws GenerativeError for a milestone list that is not comma-separated epochs, or a zero budget.
JointOptions parseJointOptions(const nlohmann::json& resolved);

} // namespace dfq::generative
