#pragma once
// A generator method of the GDFQ family: what it adds to the shared generator-student loop
// (JointTrainer.h). GDFQ adds nothing (CE + β·BNS); ClusterQ adds its class alignment loss and
// centroid updates. Adding a method: one .cpp implementing this, plus one line in GeneratorRegistry.cpp.
//
// The extension points, in the order one iteration calls them:
//   createGenerator      which network maps (z, y) to images (ACQ: also an attention position)
//   generatorTerms       extra weighted loss terms on the teacher's view of the generated batch
//   afterGeneratorStep   updates from the detached batch (ClusterQ: centroid EMA)
//   describeEpoch        per-epoch diagnostics for the events
//   state / loadState    what an epoch checkpoint must hold for an exact resume
#include "generative/ConditionalGenerator.h"
#include "generative/JointEvents.h"
#include "models/ZooModel.h"
#include "synth/BnStatTap.h"
#include "synth/MethodOptions.h"

#include <ATen/core/Generator.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dfq::generative {

/// The generated batch as the teacher saw it (autograd intact back to the generator).
struct GeneratedBatch {
    torch::Tensor images;                          ///< [N,C,H,W]
    torch::Tensor labels;                          ///< [N] conditioning classes
    torch::Tensor logits;                          ///< [N,K] teacher
    const std::vector<synth::BnLayerStats>* stats; ///< every teacher BN layer, forward order
    int64_t epoch = 0;                             ///< 0-based
    int64_t iteration = 0;                         ///< within the epoch, 0-based
};

class GeneratorMethod {
public:
    virtual ~GeneratorMethod() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    /// The method's own options, beyond jointOptionSpecs().
    virtual std::vector<synth::OptionSpec> optionSpecs() const { return {}; }
    /// Values a budget sets for this method beyond budgetOptions() (e.g. ClusterQ's centroid epoch).
    virtual nlohmann::json budgetOverrides(const std::string& budget) const { return nlohmann::json::object(); }

    /// Once, before training (resolved options, the teacher with `bnLayers` BNs). Throws GenerativeError
    /// for a model the method cannot serve.
    virtual void begin(models::ZooModelImpl& teacher, const nlohmann::json& options, size_t bnLayers) {}
    virtual ConditionalGenerator createGenerator(const GeneratorOptions& o) const { return makeConditionalGenerator(o); }
    /// Weighted extra generator loss terms, by name (reported as "g_<name>").
    virtual std::map<std::string, torch::Tensor> generatorTerms(const GeneratedBatch& batch, at::Generator& gen) {
        return {};
    }
    virtual void afterGeneratorStep(const GeneratedBatch& batch) {}
    virtual void describeEpoch(EpochReport& report) const {}
    virtual std::map<std::string, torch::Tensor> state() const { return {}; }
    virtual void loadState(const std::map<std::string, torch::Tensor>& state) {}
};

/// Registry (GeneratorRegistry.cpp). createGeneratorMethod throws GenerativeError listing the names.
std::unique_ptr<GeneratorMethod> createGeneratorMethod(const std::string& name);
std::vector<std::string> generatorMethodNames();
bool isGeneratorMethod(const std::string& name);

/// jointOptionSpecs() plus the method's.
std::vector<synth::OptionSpec> generatorOptionSpecs(const GeneratorMethod& method);
/// The user's options over the budget's (user's "budget", default "standard") over the defaults,
/// validated (synth::resolveOptions rules; throws synth::SynthesisError naming the option).
nlohmann::json resolveGeneratorOptions(const GeneratorMethod& method, const nlohmann::json& user);

} // namespace dfq::generative
