#pragma once
// The storage a model needs at a QuantSpec's bit widths, as an integer runtime would hold it: each
// quantized Conv/Linear weight at its bits plus one fp32 scale and one int32 zero point per range
// (per output channel, or one per tensor); every other parameter and buffer (biases, BN affine and
// running statistics, float layers) at 32 bits. Activation bits do not change the size.
#include "models/ZooModel.h"
#include "quant/QuantSpec.h"

#include <cstdint>

namespace dfq::quant {

struct ModelSize {
    int64_t weightBits = 0;     ///< Σ over quantized weights of elements × bits
    int64_t rangeBits = 0;      ///< 64 bits per quantization range (scale + zero point)
    int64_t floatBits = 0;      ///< every other parameter/buffer element × 32
    int64_t fp32Bits = 0;       ///< the whole model at 32 bits, for the ratio
    int64_t totalBits() const { return weightBits + rangeBits + floatBits; }
    double totalBytes() const { return double(totalBits()) / 8.0; }
    /// fp32 size / this size (≥ 1 once anything is quantized).
    double compression() const { return totalBits() > 0 ? double(fp32Bits) / double(totalBits()) : 0.0; }
};

/// Size of model at spec's bits. Layers the spec does not list count as float.
ModelSize modelSize(models::ZooModelImpl& model, const QuantSpec& spec);
/// The same from the model's structure (identical for quantTopology(model)).
ModelSize modelSize(const QuantTopology& topology, const QuantSpec& spec);

} // namespace dfq::quant
