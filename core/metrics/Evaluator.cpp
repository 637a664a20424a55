#include "metrics/Evaluator.h"

#include "data/BatchLoader.h"
#include "metrics/Accuracy.h"
#include "models/InferenceLayout.h"

#include <chrono>
#include <optional>
#include <stdexcept>

namespace dfq::metrics {

EvalResult evaluate(models::ZooModelImpl& model, const data::Dataset& dataset, const EvalOptions& options) {
    const auto& info = model.info();
    const auto g = dataset.geometry();
    if (g.channels != info.inChannels || g.height != info.inHeight || g.width != info.inWidth)
        throw std::invalid_argument("dataset images are " + std::to_string(g.channels) + "x" +
                                    std::to_string(g.height) + "x" + std::to_string(g.width) + " but model '" +
                                    info.arch + "' expects " + std::to_string(info.inChannels) + "x" +
                                    std::to_string(info.inHeight) + "x" + std::to_string(info.inWidth));
    if (int64_t(dataset.classNames().size()) > info.numClasses)
        throw std::invalid_argument("dataset has " + std::to_string(dataset.classNames().size()) +
                                    " classes but model '" + info.arch + "' predicts " +
                                    std::to_string(info.numClasses));

    const auto t0 = std::chrono::steady_clock::now();
    const bool wasTraining = model.is_training();
    model.eval();
    torch::NoGradGuard noGrad;
    // Channels-last weights and inputs, and BNs folded where no hook is in the way (a quantized model
    // keeps its BNs, and its fake-quant hooks see the same weights in another layout): faster here,
    // same logits to float rounding.
    const bool fast = options.fastLayout;
    std::optional<models::InferenceLayout> layout;
    if (fast)
        layout.emplace(model, models::InferenceLayoutOptions{true, options.foldBatchNorm});
    AccuracyMeter meter(info.numClasses);
    data::BatchLoader loader(dataset, options.batchSize, /*shuffle=*/false, 0);
    const int64_t total = options.limit > 0 ? std::min(options.limit, dataset.size()) : dataset.size();
    int64_t done = 0;
    while (done < total) {
        if (options.cancel.cancelled())
            throw runtime::Cancelled();
        auto batch = loader.next();
        if (!batch)
            break;
        torch::Tensor images = batch->images, labels = batch->labels;
        if (done + batch->size() > total) {
            images = images.narrow(0, 0, total - done);
            labels = labels.narrow(0, 0, total - done);
        }
        meter.add(model.forward(fast ? images.contiguous(torch::MemoryFormat::ChannelsLast) : images), labels);
        done += images.size(0);
        if (options.progress)
            options.progress(done, total);
    }
    if (wasTraining)
        model.train();

    EvalResult r;
    r.images = meter.count();
    r.top1 = meter.top1();
    r.top5 = meter.top5();
    r.perClass = meter.perClass();
    r.confusion = meter.confusion();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.imagesPerSecond = r.seconds > 0 ? double(r.images) / r.seconds : 0;
    return r;
}

} // namespace dfq::metrics
