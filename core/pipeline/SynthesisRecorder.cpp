#include "pipeline/SynthesisRecorder.h"

#include "pipeline/SnapshotPng.h"

namespace dfq::pipeline {
using nlohmann::json;

SynthesisRecorder::SynthesisRecorder(StageContext& context, std::string stage)
    : ctx_(context), stage_(std::move(stage)), user_(context.events) {
    diagnosticsEvery = user_ ? user_->diagnosticsEvery : 0;
    snapshotEvery = user_ ? user_->snapshotEvery : 0;
    snapshotPerClass = user_ ? user_->snapshotPerClass : 1;
}

void SynthesisRecorder::progress(const synth::SynthesisProgress& p) {
    if (user_)
        user_->progress(p);
    ctx_.progress(stage_, p.step, p.totalSteps, p.etaSeconds);
}

void SynthesisRecorder::lossTerms(int64_t step, const std::map<std::string, double>& terms) {
    if (user_)
        user_->lossTerms(step, terms);
    if (auto it = terms.find("total"); it != terms.end())
        lastLoss = it->second;
    if (step % 10 == 0 || step == 1) {
        json j = {{"stage", stage_}, {"step", step}};
        for (const auto& [k, v] : terms)
            j["loss_" + k] = finiteOrNull(v);
        ctx_.metric(j);
    }
}

void SynthesisRecorder::layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) {
    if (user_)
        user_->layerDiagnostics(step, layers);
    lastDiagnostics = layers;
}

void SynthesisRecorder::snapshot(const synth::ImageSnapshot& s) {
    if (user_)
        user_->snapshot(s);
    if (!ctx_.persistent())
        return;
    const std::string png = snapshotPng(s);
    if (!png.empty())
        ctx_.saveFile(snapshotFileName(s), png);
}

void SynthesisRecorder::batchFinished(int64_t batch, const torch::Tensor& images, const torch::Tensor& labels) {
    if (user_)
        user_->batchFinished(batch, images, labels);
}

void SynthesisRecorder::note(const std::string& m) {
    if (user_)
        user_->note(m);
}

json SynthesisRecorder::divergenceJson() const {
    json div = json::array();
    for (const auto& d : lastDiagnostics)
        div.push_back({{"layer", d.name}, {"mean_l2", finiteOrNull(d.meanL2)}, {"std_l2", finiteOrNull(d.stdL2)},
                       {"kl", finiteOrNull(d.kl)}});
    return div;
}

} // namespace dfq::pipeline
