#pragma once
// One interactive "what if" of the desktop app's bit-width panel: the FP32 model quantized with a
// spec, its activation ranges calibrated on a fixed calibration set, evaluated on the open test data.
// Each edit in the panel runs one trial in the worker; the model itself is never changed (a spec that
// folds BN runs on a copy), so trials can follow one another in any order and give the same answer
// for the same spec.
#include "data/Dataset.h"
#include "models/ZooModel.h"
#include "quant/ModelSize.h"
#include "quant/QuantSpec.h"
#include "runtime/CancelToken.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dfq::pipeline {

struct QuantTrialResult {
    std::string label;            ///< spec label, e.g. "W4A4 gdfq"
    double top1 = 0, top5 = 0;    ///< percent, on `images` test images
    int64_t images = 0;
    std::vector<double> perClass; ///< percent per class
    quant::ModelSize size;
    int64_t calibrationImages = 0;
    double seconds = 0;           ///< calibration + evaluation wall time
    double calibrationSeconds = 0, evaluationSeconds = 0;   ///< its two parts
};

struct QuantTrialOptions {
    int64_t calibrationBatch = 64;
    int64_t evalBatch = 256;
    int64_t evalLimit = -1;       ///< first N test images; -1 = all
    runtime::CancelToken cancel;  ///< checked between batches (throws runtime::Cancelled)
};

/// calibration: [N, C, H, W] in the model's normalised input space (a synthetic set's images).
/// Throws quant::QuantError for a spec that does not fit the model, std::invalid_argument for data
/// that does not (geometry, class count), runtime::Cancelled when cancelled.
QuantTrialResult runQuantTrial(const models::ZooModel& model, const quant::QuantSpec& spec,
                               const torch::Tensor& calibration, const data::Dataset& test,
                               const QuantTrialOptions& options = {});

} // namespace dfq::pipeline
