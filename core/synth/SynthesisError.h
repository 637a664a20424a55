#pragma once
#include <stdexcept>
#include <string>

namespace dfq::synth {

/// A synthesis problem the user can act on: a model the method cannot serve (no BatchNorm layers),
/// a bad option, an empty budget, an optimisation that diverged beyond recovery, an unreadable
/// synthetic set. what() says which method / file / iteration and what happened.
class SynthesisError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace dfq::synth
