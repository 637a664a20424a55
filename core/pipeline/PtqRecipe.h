#pragma once
// What the PTQ method names mean, shared by `dfq quantize` and the pipeline so that both quantize the
// same way: which observers choose the ranges, and which protocol label a result carries.
//   minmax      min-max activation ranges (EMA-free), per-channel min-max weights
//   percentile  99.99th-percentile activation ranges, per-channel min-max weights
//   mse         MSE grid search for weights and activations
//   adaround    mse ranges, then AdaRound per layer (quant/AdaRound.h)
//   brecq       mse ranges, then BRECQ per block (quant/Brecq.h)
#include "quant/QuantSpec.h"

#include <string>
#include <vector>

namespace dfq::pipeline {

std::vector<std::string> ptqMethodNames();

/// QuantOptions with the observers of the PTQ method (weightObserver/activationObserver "auto" or
/// "" keep the method's choice, anything else overrides it).
quant::QuantOptions quantOptionsForPtq(const std::string& ptq, const std::string& weightObserver = "auto",
                                       const std::string& activationObserver = "auto");

/// "fine-tuned" when QAT epochs > 0, "reconstructed" for adaround/brecq, else "calibrate-only".
std::string protocolLabel(const std::string& ptq, int64_t qatEpochs);

/// True for the methods that reconstruct weights after calibration (adaround, brecq).
bool reconstructs(const std::string& ptq);

} // namespace dfq::pipeline
