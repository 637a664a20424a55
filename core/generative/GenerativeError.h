#pragma once
#include <stdexcept>
#include <string>

namespace dfq::generative {

/// A generator method cannot run (bad options, a model without BN, a class count that disagrees) or
/// its training diverged (the message names the epoch and iteration).
class GenerativeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace dfq::generative
