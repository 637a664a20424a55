#pragma once
// A way of producing calibration images for a teacher, chosen by name. Adding a method: one .cpp
// that implements SynthesisMethod and defines a factory, plus one line in MethodRegistry.cpp.
#include "data/Normalization.h"
#include "models/ZooModel.h"
#include "runtime/CancelToken.h"
#include "synth/MethodOptions.h"
#include "synth/SynthesisEvents.h"
#include "synth/SyntheticSet.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace dfq::synth {

struct SynthesisRequest {
    int64_t count = 0;                      ///< N images to produce (> 0)
    uint64_t seed = 0;                      ///< same seed, model, options and thread count -> same images
    nlohmann::json options;                 ///< the user's options (null = defaults), validated by run()
    /// The teacher's input normalisation: recorded in the set, used for previews and by "real" to
    /// open its dataset. Empty mean/std: identity.
    data::Normalization normalization;
};

class SynthesisMethod {
public:
    virtual ~SynthesisMethod() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual std::vector<OptionSpec> optionSpecs() const = 0;

    nlohmann::json defaultOptions() const { return synth::defaultOptions(optionSpecs()); }
    /// The user's options over the defaults; throws SynthesisError (see MethodOptions.h).
    nlohmann::json resolveOptions(const nlohmann::json& user) const {
        return synth::resolveOptions(name(), optionSpecs(), user);
    }

    /// Produces request.count images for `model` in independent batches. The teacher is used frozen
    /// (eval mode, no weight gradients) and restored as it was afterwards. `events` may be null.
    /// Throws SynthesisError (bad options, zero budget, a model the method cannot serve, divergence
    /// beyond recovery) and runtime::Cancelled when `cancel` fires between steps; batches already
    /// delivered through events->batchFinished stay valid.
    virtual SyntheticSet run(models::ZooModelImpl& model, const SynthesisRequest& request,
                             SynthesisEvents* events, const runtime::CancelToken& cancel) = 0;
};

/// Registry (MethodRegistry.cpp). createMethod throws SynthesisError listing the known names.
std::unique_ptr<SynthesisMethod> createMethod(const std::string& name);
std::vector<std::string> methodNames();

} // namespace dfq::synth
