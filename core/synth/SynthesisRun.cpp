#include "synth/SynthesisRun.h"

#include "metrics/BnDivergence.h"
#include "metrics/Confidence.h"
#include "metrics/Diversity.h"
#include "synth/PixelConversion.h"
#include "synth/SynthesisError.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace dfq::synth {
namespace {

/// splitmix64: turns (seed, stream) into well-separated generator seeds, so batch b's noise does not
/// overlap batch b+1's the way seed+b streams of a linear generator could.
uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace

SynthesisRun::SynthesisRun(std::string method, models::ZooModelImpl& model, const SynthesisRequest& request,
                           nlohmann::json resolvedOptions, int64_t batchSize, int64_t stepsPerBatch,
                           SynthesisEvents* events, const runtime::CancelToken& cancel)
    : method_(std::move(method)), model_(model), request_(request), options_(std::move(resolvedOptions)),
      batchSize_(batchSize), stepsPerBatch_(stepsPerBatch), events_(events), cancel_(cancel) {
    if (request.count <= 0)
        throw SynthesisError("method '" + method_ + "': a budget of " + std::to_string(request.count) +
                             " images leaves nothing to synthesise (ask for at least 1 image)");
    if (batchSize_ <= 0)
        throw SynthesisError("method '" + method_ + "': batch size must be positive, got " +
                             std::to_string(batchSize_));
    batches_ = (request.count + batchSize_ - 1) / batchSize_;
}

at::Generator SynthesisRun::generator(uint64_t stream) const {
    return at::detail::createCPUGenerator(mix(request_.seed ^ mix(stream)));
}

void SynthesisRun::checkCancel() const {
    if (cancel_.cancelled())
        throw runtime::Cancelled();
}

void SynthesisRun::note(const std::string& message) {
    notes_.push_back(message);
    if (events_)
        events_->note(message);
}

void SynthesisRun::sendProgress(int64_t batch) {
    if (!events_)
        return;
    SynthesisProgress p;
    p.step = stepsDone_;
    p.totalSteps = batches_ * std::max<int64_t>(1, stepsPerBatch_);
    p.batch = batch;
    p.batches = batches_;
    p.imagesDone = imagesDone_;
    p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    p.etaSeconds = stepsDone_ > 0 ? p.elapsedSeconds / double(stepsDone_) * double(p.totalSteps - stepsDone_) : 0.0;
    events_->progress(p);
}

void SynthesisRun::sendPreview(int64_t batch, const torch::Tensor& images, const torch::Tensor& predicted,
                               const torch::Tensor& logits) {
    // Up to snapshotPerClass images per predicted class, classes in ascending order.
    std::vector<int64_t> pick;
    const torch::Tensor pred = predicted.to(torch::kLong).contiguous();
    const auto* p = pred.data_ptr<int64_t>();
    std::map<int64_t, int64_t> taken;
    for (int64_t i = 0; i < pred.numel(); ++i)
        if (taken[p[i]]++ < std::max<int64_t>(1, events_->snapshotPerClass))
            pick.push_back(i);
    std::stable_sort(pick.begin(), pick.end(), [&](int64_t a, int64_t b) { return p[a] < p[b]; });
    const torch::Tensor idx = torch::tensor(pick, torch::kLong);
    ImageSnapshot s;
    s.step = stepsDone_;
    s.batch = batch;
    s.images = toPixels(images.index_select(0, idx), request_.normalization);
    s.labels = pred.index_select(0, idx);
    if (logits.defined())
        s.confidence = torch::softmax(logits.detach().index_select(0, idx).to(torch::kFloat32), 1)
                           .gather(1, s.labels.unsqueeze(1))
                           .squeeze(1);
    events_->snapshot(s);
}

void SynthesisRun::step(int64_t batch, int64_t iteration, double lr, const std::map<std::string, double>& terms,
                        const torch::Tensor& images, const torch::Tensor& logits,
                        const std::vector<BnLayerStats>* stats, const torch::Tensor& features) {
    torch::NoGradGuard ng;
    StepRecord record{batch, iteration, lr, terms};
    // Per-step diagnostics: a few dozen small ops on [B,C] / [B,K] / [B,D] tensors.
    std::vector<metrics::LayerDivergence> layers;
    if (stats) {
        for (const auto& s : *stats)
            if (s.recorded())
                layers.push_back(metrics::layerDivergence(s.name, s.batchMean, s.batchVar, s.runningMean,
                                                          s.runningVar, s.eps));
        if (!layers.empty())
            record.bnKl = metrics::meanDivergence(layers).kl;
    }
    if (logits.defined() && logits.size(0) > 0) {
        const auto c = metrics::teacherConfidence(logits.detach());
        record.confidence = c.meanMaxProbability;
        record.entropy = c.meanEntropy;
        if (features.defined() && features.size(0) > 1)
            record.featureDiversity =
                metrics::intraClassDiversity(features.detach(), logits.detach().argmax(1), logits.size(1)).meanOverClasses;
    }
    steps_.push_back(record);
    ++stepsDone_;
    if (!events_)
        return;
    sendProgress(batch);
    events_->lossTerms(stepsDone_, terms);
    if (!layers.empty() && events_->diagnosticsEvery > 0 && iteration % events_->diagnosticsEvery == 0)
        events_->layerDiagnostics(stepsDone_, layers);
    if (events_->snapshotEvery > 0 && iteration % events_->snapshotEvery == 0 && logits.defined())
        sendPreview(batch, images, logits.argmax(1), logits);
}

SyntheticSet SynthesisRun::run(const Producer& produce) {
    start_ = std::chrono::steady_clock::now();
    const auto& info = model_.info();
    std::vector<torch::Tensor> allImages, allLabels;
    for (int64_t b = 0; b < batches_; ++b) {
        checkCancel();
        const int64_t size = std::min(batchSize_, request_.count - b * batchSize_);
        at::Generator gen = generator(uint64_t(b) + 1);
        auto [images, labels] = produce(b, size, gen);
        images = images.detach().to(torch::kFloat32).contiguous();
        // Never hand out NaN images: producers guard their optimisation, this is the last line.
        if (!torch::isfinite(images).all().item<bool>())
            throw SynthesisError("method '" + method_ + "': batch " + std::to_string(b + 1) + "/" +
                                 std::to_string(batches_) + " produced non-finite pixels");
        if (!labels.defined() || events_) {
            torch::NoGradGuard ng;
            const torch::Tensor logits = model_.forward(images);
            const torch::Tensor predicted = logits.argmax(1);
            if (!labels.defined())
                labels = predicted;
            if (events_) {
                events_->layerDiagnostics(stepsDone_, metrics::bnDivergence(model_, images));
                sendPreview(b, images, labels, logits);
            }
        }
        labels = labels.to(torch::kLong).contiguous();
        imagesDone_ += size;
        if (stepsPerBatch_ == 0)
            ++stepsDone_;
        allImages.push_back(images);
        allLabels.push_back(labels);
        if (events_) {
            events_->batchFinished(b, images, labels);
            sendProgress(b);
        }
    }

    SyntheticSet set;
    set.images = torch::cat(allImages, 0);
    set.labels = torch::cat(allLabels, 0);
    set.numClasses = info.numClasses;
    set.classNames = info.classNames;
    set.normalization = request_.normalization;
    set.method = method_;
    set.options = options_;
    set.seed = request_.seed;
    set.modelArch = info.arch;
    set.steps = std::move(steps_);
    set.notes = std::move(notes_);
    set.batches = batches_;
    set.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return set;
}

} // namespace dfq::synth
