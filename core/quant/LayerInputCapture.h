#pragma once
// The raw input of one Conv2d/Linear layer over a set of images, for layer- and block-wise
// reconstruction (AdaRound, BRECQ).
#include "models/ZooModel.h"

namespace dfq::quant {

/// Runs images [N,C,H,W] through the model in chunks of 256 (no grad) with a temporary hook on ref
/// that records the layer's input before its own hook transforms it, then restores ref's hook (also
/// on error). Returns the inputs concatenated: [N, ...] as the layer sees them.
torch::Tensor captureLayerInput(models::ZooModel& model, models::QuantLayerRef& ref, const torch::Tensor& images);

} // namespace dfq::quant
