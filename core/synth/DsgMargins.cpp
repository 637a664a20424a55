#include "synth/DsgMargins.h"

#include <torch/torch.h>

namespace dfq::synth {

SdaMargins estimateSdaMargins(models::ZooModelImpl& model, BnStatTap& tap, const MarginProtocol& p,
                              at::Generator& gen) {
    torch::NoGradGuard ng;
    const auto& info = model.info();
    const size_t layers = tap.layerCount();
    // Per layer, the per-sample means [n,C] and stds [n,C] of every drawn sample.
    std::vector<std::vector<torch::Tensor>> means(layers), stds(layers);
    for (int64_t b = 0; b < p.batches; ++b) {
        tap.clear();
        model.forward(torch::randn({p.batchSize, info.inChannels, info.inHeight, info.inWidth}, gen));
        for (size_t l = 0; l < layers; ++l) {
            const auto& s = tap.layer(l);
            if (!s.recorded())
                continue;
            means[l].push_back(s.sampleMean);
            stds[l].push_back(torch::sqrt(s.sampleVar + p.eps));
        }
    }
    tap.clear();
    SdaMargins m;
    for (size_t l = 0; l < layers; ++l) {
        if (means[l].empty()) {
            // Never reached by a forward: no slack (the loss will complain about the layer anyway).
            const int64_t c = tap.layer(l).runningMean.size(0);
            m.delta.push_back(torch::zeros({c}));
            m.gamma.push_back(torch::zeros({c}));
            continue;
        }
        // Double precision: the spread reference subtracts nearly equal numbers.
        const torch::Tensor mu = torch::cat(means[l], 0).to(torch::kFloat64);
        const torch::Tensor sd = torch::cat(stds[l], 0).to(torch::kFloat64);
        torch::Tensor muRef, sdRef;
        if (p.reference == MarginReference::Running) {
            muRef = tap.layer(l).runningMean.to(torch::kFloat64);
            sdRef = torch::sqrt(tap.layer(l).runningVar.to(torch::kFloat64) + p.eps);
        } else {
            muRef = mu.mean(0);
            sdRef = sd.mean(0);
        }
        m.delta.push_back(torch::quantile(torch::abs(mu - muRef), p.percentile, 0).to(torch::kFloat32));
        m.gamma.push_back(torch::quantile(torch::abs(sd - sdRef), p.percentile, 0).to(torch::kFloat32));
    }
    return m;
}

} // namespace dfq::synth
