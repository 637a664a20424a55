#include "generative/ClassStatistics.h"

#include <torch/torch.h>

namespace dfq::generative {

ClassStats classStatistics(const synth::BnLayerStats& layer, const torch::Tensor& labels, int64_t classes) {
    TORCH_CHECK(layer.recorded(), "classStatistics: layer '", layer.name, "' was not recorded");
    TORCH_CHECK(labels.dim() == 1 && labels.size(0) == layer.sampleMean.size(0), "classStatistics: labels must be [N]");
    const auto valid = labels >= 0;
    const auto safe = torch::where(valid, labels, torch::zeros_like(labels));
    // one-hot [N,K] of the kept samples; columns divided by the class counts give the class means.
    auto onehot = torch::one_hot(safe, classes).to(layer.sampleMean.scalar_type()) * valid.unsqueeze(1).to(layer.sampleMean.scalar_type());
    const auto counts = onehot.sum(0);                                      // [K]
    const auto w = onehot / counts.clamp_min(1).unsqueeze(0);               // [N,K]
    const auto m = w.t().matmul(layer.sampleMean);                          // [K,C]
    const auto sq = w.t().matmul(layer.sampleVar + layer.sampleMean * layer.sampleMean);
    ClassStats s;
    s.mean = m;
    s.var = (sq - m * m).clamp_min(0);
    s.counts = counts.to(torch::kLong);
    return s;
}

std::vector<size_t> deepBnLayers(size_t L) {
    std::vector<size_t> out;
    const long first = std::max<long>(0, long((L + 1) / 2) - 2);
    for (size_t i = size_t(first); i < L; ++i)
        out.push_back(i);
    return out;
}

} // namespace dfq::generative
