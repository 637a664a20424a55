#pragma once
// The state of a calibrated / reconstructed / fine-tuned QuantizedModel as bytes (a torch pickle of
// a dict name -> tensor, readable by torch.load), so that a run resumes from it exactly:
//   "param.<name>", "buffer.<name>"       the model's raw parameters and buffers (not fake-quantized:
//                                         QAT continues from them)
//   "weight.<layer>.scale|zero_point|meta"  the frozen weight grid; meta = [qmin, qmax, bits, scheme]
//   "weight.<layer>.adaround_v"            the hard AdaRound/BRECQ rounding variable, when present
//   "input.<layer>.*", "activation.<name>.*"  the frozen input / activation grids (LSQ steps included)
// Restoring sets every value bit for bit, so the restored model computes exactly what the saved one did.
#include "quant/QuantizedModel.h"

#include <string>

namespace dfq::pipeline {

std::string saveQuantizedState(quant::QuantizedModel& qm);

/// Restores into a QuantizedModel built from the same architecture and spec (fresh weights are
/// overwritten). Throws PipelineError when a tensor is missing or has another shape.
void restoreQuantizedState(quant::QuantizedModel& qm, const std::string& bytes);

} // namespace dfq::pipeline
