#pragma once
// The synthesis stage's events: forwards every synthesis event to the user's PipelineEvents and
// records in the run what the report needs: loss terms (every 10th step) as metrics lines, the BN
// divergence of the last diagnostics, the last total loss, snapshots as PNGs (with a run directory).
// Progress goes through StageContext::progress, so budget and cancellation are checked every step.
#include "pipeline/StageContext.h"
#include "synth/SynthesisEvents.h"

#include <cmath>
#include <string>
#include <vector>

namespace dfq::pipeline {

class SynthesisRecorder : public synth::SynthesisEvents {
public:
    /// stage: the name its progress and metrics carry.
    SynthesisRecorder(StageContext& context, std::string stage);
    void progress(const synth::SynthesisProgress& p) override;
    void lossTerms(int64_t step, const std::map<std::string, double>& terms) override;
    void layerDiagnostics(int64_t step, const std::vector<metrics::LayerDivergence>& layers) override;
    void snapshot(const synth::ImageSnapshot& s) override;
    void batchFinished(int64_t batch, const torch::Tensor& images, const torch::Tensor& labels) override;
    void note(const std::string& m) override;

    std::vector<metrics::LayerDivergence> lastDiagnostics;
    double lastLoss = std::nan("");

    /// lastDiagnostics as [{"layer", "mean_l2", "std_l2", "kl"}].
    nlohmann::json divergenceJson() const;

private:
    StageContext& ctx_;
    std::string stage_;
    PipelineEvents* user_;
};

} // namespace dfq::pipeline
