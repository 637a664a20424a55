#include "synth/Synthesize.h"

#include "synth/SynthesisError.h"
#include "synth/SynthesisMethod.h"

#include <stdexcept>

namespace dfq::synth {

SyntheticSet synthesize(const std::string& method, models::ZooModelImpl& model, const nlohmann::json& options,
                        int64_t n, uint64_t seed, SynthesisEvents* events, runtime::CancelToken cancel) {
    auto m = createMethod(method);
    SynthesisRequest request;
    request.count = n;
    request.seed = seed;
    request.options = options;
    const std::string preset = model.info().normalization.empty() ? "none" : model.info().normalization;
    try {
        request.normalization = data::normalizationPreset(preset);
    } catch (const std::invalid_argument& e) {
        throw SynthesisError("model '" + model.info().arch + "': unknown normalisation '" + preset + "': " + e.what());
    }
    return m->run(model, request, events, cancel);
}

} // namespace dfq::synth
