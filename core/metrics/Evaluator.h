#pragma once
#include "data/Dataset.h"
#include "models/ZooModel.h"
#include "runtime/CancelToken.h"

#include <functional>
#include <string>
#include <vector>

namespace dfq::metrics {

struct EvalResult {
    int64_t images = 0;
    double top1 = 0, top5 = 0;                 ///< percent
    std::vector<double> perClass;              ///< percent per class
    std::vector<int64_t> confusion;            ///< [K*K], row = truth
    double seconds = 0;                        ///< wall time of evaluate(): inference, plus decoding for a lazily decoded dataset
    double imagesPerSecond = 0;
};

struct EvalOptions {
    int64_t batchSize = 256;
    int64_t limit = -1;                                          ///< evaluate only the first N images
    std::function<void(int64_t done, int64_t total)> progress;   ///< called after every batch
    runtime::CancelToken cancel;                                 ///< checked between batches (throws Cancelled)
    /// Run channels-last with BNs folded where no hook is in the way (models::InferenceLayout);
    /// restored afterwards. false: exactly as stored.
    bool fastLayout = true;
    /// With fastLayout: also fold eval-mode BNs into their convs. false keeps every BN as a separate
    /// op, the layout a quantized model runs in (its hooks keep its BNs), so that an FP32 and a
    /// fake-quant evaluation time the same work apart from the quantizers.
    bool foldBatchNorm = true;
};

/// Runs the model in eval mode without autograd over the dataset (in order) and measures accuracy.
/// Throws std::invalid_argument when the dataset's geometry or class count does not fit the model.
EvalResult evaluate(models::ZooModelImpl& model, const data::Dataset& dataset, const EvalOptions& options = {});

} // namespace dfq::metrics
