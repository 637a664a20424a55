#pragma once
#include <stdexcept>
#include <string>

namespace dfq::quant {

/// A quantization problem: a spec that does not fit the model (unknown layer, bits out of range,
/// unknown observer), a calibration batch of the wrong shape, an empty batch source, or NaN/Inf in
/// weights or data. what() names the layer (module path) or the batch and says what was expected.
class QuantError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace dfq::quant
