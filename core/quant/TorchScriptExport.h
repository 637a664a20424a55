#pragma once
// TorchScript archive of a fake-quantized model, loadable with torch.jit.load (Python) or
// torch::jit::load (C++) without DFQ Studio.
//
// How: the frozen QuantizedModel's forward is traced once (LibTorch's tracer records every aten op
// that runs, including each fake quantization: round-half-to-even, clamp to [qmin, qmax], rescale).
// The model's parameters and buffers become attributes of the scripted module (names with '.'
// replaced by '_'); tensors computed once by the quantizers (cached fake-quantized weights, scales,
// zero points) become graph constants. The traced graph has no control flow: it is exactly the
// computation of the in-memory model in Frozen mode for an input of the traced shape's rank
// ([N, C, H, W], any N).
#include "quant/QuantizedModel.h"

#include <string>

namespace dfq::quant {

/// Writes the archive to path (path.tmp, then renamed). The model must be in Frozen mode (after
/// calibrate() or freeze()); it is traced in eval mode with an example batch [2, C, H, W] of zeros.
/// Throws QuantError (not frozen, unwritable path) with the path in the message.
void exportTorchScript(QuantizedModel& qm, const std::string& path);

} // namespace dfq::quant
