#include "pipeline/QuantTrial.h"

#include "metrics/Evaluator.h"
#include "quant/BatchSource.h"
#include "quant/QatDistiller.h"
#include "quant/QuantError.h"
#include "quant/QuantizedModel.h"

#include <chrono>

namespace dfq::pipeline {

QuantTrialResult runQuantTrial(const models::ZooModel& model, const quant::QuantSpec& spec,
                               const torch::Tensor& calibration, const data::Dataset& test,
                               const QuantTrialOptions& options) {
    if (!model)
        throw quant::QuantError("quantization trial: no model");
    if (!calibration.defined() || calibration.dim() != 4 || calibration.size(0) == 0)
        throw quant::QuantError("quantization trial: the calibration set is empty or not [N, C, H, W]");
    const auto start = std::chrono::steady_clock::now();
    // Folding BN rewrites the conv weights for good: fold a copy, keep the user's model intact.
    models::ZooModel target = spec.foldBn ? quant::cloneModel(*model) : model;
    QuantTrialResult r;
    r.label = spec.label();
    r.size = quant::modelSize(*target, spec);
    {
        quant::QuantizedModel qm(target, spec);   // hooks detached when it goes out of scope
        quant::TensorBatchSource source(calibration, options.calibrationBatch);
        quant::FunctionBatchSource checked([&]() -> std::optional<torch::Tensor> {
            if (options.cancel.cancelled())
                throw runtime::Cancelled();
            return source.next();
        });
        r.calibrationImages = qm.calibrate(checked).images;
        const auto calibrated = std::chrono::steady_clock::now();
        r.calibrationSeconds = std::chrono::duration<double>(calibrated - start).count();
        metrics::EvalOptions eo;
        eo.batchSize = options.evalBatch;
        eo.limit = options.evalLimit;
        eo.cancel = options.cancel;
        const auto ev = metrics::evaluate(*target, test, eo);
        r.top1 = ev.top1;
        r.top5 = ev.top5;
        r.images = ev.images;
        r.perClass = ev.perClass;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.evaluationSeconds = r.seconds - r.calibrationSeconds;
    return r;
}

} // namespace dfq::pipeline
