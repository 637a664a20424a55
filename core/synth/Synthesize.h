#pragma once
// One call for the CLI, the pipeline and the benchmark: look up a method by name and run it.
#include "models/ZooModel.h"
#include "runtime/CancelToken.h"
#include "synth/SynthesisEvents.h"
#include "synth/SyntheticSet.h"

#include <nlohmann/json.hpp>

#include <string>

namespace dfq::synth {

/// Produces n calibration images for `model` with the named method ("zeroq", "dsg", "noise", ...;
/// see methodNames()). options: the method's JSON options (null = defaults). The model's
/// info().normalization preset (or identity when it names none) is recorded in the set, so that
/// export can de-normalise. `events` may be null. Throws SynthesisError / runtime::Cancelled as
/// SynthesisMethod::run does.
SyntheticSet synthesize(const std::string& method, models::ZooModelImpl& model, const nlohmann::json& options,
                        int64_t n, uint64_t seed, SynthesisEvents* events = nullptr,
                        runtime::CancelToken cancel = {});

} // namespace dfq::synth
