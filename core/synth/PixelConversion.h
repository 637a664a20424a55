#pragma once
// Between the model's normalised input space and 8-bit pixels (previews, PNG export and import).
#include "data/Normalization.h"

#include <torch/types.h>

namespace dfq::synth {

/// images [N,C,H,W] float, normalised with `n` -> uint8 [N,H,W,C]: x·std + mean, clamped to [0,1],
/// ×255, rounded to nearest. Empty mean/std is the identity; one value is broadcast to all channels.
/// Throws std::invalid_argument when the normalisation has a channel count that does not fit.
torch::Tensor toPixels(const torch::Tensor& images, const data::Normalization& n);

/// uint8 [N,H,W,C] -> float32 [N,C,H,W] normalised with `n` (the inverse of toPixels up to rounding).
torch::Tensor fromPixels(const torch::Tensor& pixels, const data::Normalization& n);

} // namespace dfq::synth
