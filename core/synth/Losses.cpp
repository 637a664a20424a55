#include "synth/Losses.h"

#include "synth/ChannelMoments.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace dfq::synth {
namespace {

void requireRecorded(const BnLayerStats& s) {
    if (!s.recorded())
        throw std::invalid_argument("BN layer '" + s.name +
                                    "' has no recorded statistics: the forward pass never reached it");
}

torch::Tensor sqr(const torch::Tensor& t) { return t * t; }

} // namespace

torch::Tensor zeroqBnsLoss(const std::vector<BnLayerStats>& layers, const BnsOptions& o) {
    torch::Tensor total;
    for (const auto& s : layers) {
        requireRecorded(s);
        const torch::Tensor mu = s.runningMean.to(s.sampleMean.dtype());
        const torch::Tensor sd = torch::sqrt(s.runningVar.to(s.sampleMean.dtype()) + o.eps);
        torch::Tensor term;
        if (o.perBatch) {
            term = sqr(s.batchMean - mu).sum() + sqr(torch::sqrt(s.batchVar + o.eps) - sd).sum();
        } else {
            // [N,C] against [C] broadcast; summing over both dims then /N is ZeroQ's ‖·‖²/B.
            const double n = double(s.sampleMean.size(0));
            term = (sqr(s.sampleMean - mu).sum() + sqr(torch::sqrt(s.sampleVar + o.eps) - sd).sum()) / n;
        }
        total = total.defined() ? total + term : term;
    }
    return total.defined() ? total : torch::zeros({});
}

torch::Tensor inputStatsLoss(const torch::Tensor& images, const BnsOptions& o) {
    TORCH_CHECK(images.dim() == 4, "inputStatsLoss: images must be [N,C,H,W], got ", images.sizes());
    if (o.perBatch) {
        auto [var, mean] = at::var_mean(images, {0, 2, 3}, /*unbiased=*/false, /*keepdim=*/false);
        return sqr(mean).sum() + sqr(torch::sqrt(var + o.eps) - 1.0).sum();
    }
    auto [mean, var] = channelMoments(images);
    return (sqr(mean).sum() + sqr(torch::sqrt(var + o.eps) - 1.0).sum()) / double(images.size(0));
}

torch::Tensor genieBnsLoss(const std::vector<BnLayerStats>& layers, double eps) {
    torch::Tensor total;
    for (const auto& s : layers) {
        requireRecorded(s);
        const torch::Tensor mu = s.runningMean.to(s.batchMean.dtype());
        const torch::Tensor sd = torch::sqrt(s.runningVar.to(s.batchVar.dtype()) + eps);
        torch::Tensor term = sqr(s.batchMean - mu).mean() + sqr(torch::sqrt(s.batchVar + eps) - sd).mean();
        total = total.defined() ? total + term : term;
    }
    return total.defined() ? total : torch::zeros({});
}

torch::Tensor gdfqBnsLoss(const std::vector<BnLayerStats>& layers) {
    if (layers.empty())
        return torch::zeros({});
    torch::Tensor total;
    for (const auto& s : layers) {
        requireRecorded(s);
        torch::Tensor term = sqr(s.batchMean - s.runningMean.to(s.batchMean.dtype())).mean() +
                             sqr(s.batchVar - s.runningVar.to(s.batchVar.dtype())).mean();
        total = total.defined() ? total + term : term;
    }
    return total / double(layers.size());
}

torch::Tensor sdaLossMatrix(const std::vector<BnLayerStats>& layers, const SdaMargins& m, double eps) {
    if (!m.empty() && (m.delta.size() != layers.size() || m.gamma.size() != layers.size()))
        throw std::invalid_argument("sdaLossMatrix: " + std::to_string(m.delta.size()) + " margins for " +
                                    std::to_string(layers.size()) + " BN layers");
    std::vector<torch::Tensor> columns;
    columns.reserve(layers.size());
    for (size_t l = 0; l < layers.size(); ++l) {
        const auto& s = layers[l];
        requireRecorded(s);
        const auto dtype = s.sampleMean.dtype();
        torch::Tensor meanGap = torch::abs(s.sampleMean - s.runningMean.to(dtype));
        torch::Tensor stdGap =
            torch::abs(torch::sqrt(s.sampleVar + eps) - torch::sqrt(s.runningVar.to(dtype) + eps));
        if (!m.empty()) {
            meanGap = meanGap - m.delta[l].to(dtype);
            stdGap = stdGap - m.gamma[l].to(dtype);
        }
        // relu(x) = max(x, 0): gaps inside the slack cost nothing and pass no gradient.
        columns.push_back(sqr(torch::relu(meanGap)).sum(1) + sqr(torch::relu(stdGap)).sum(1));
    }
    if (columns.empty())
        return torch::zeros({0, 0});
    return torch::stack(columns, 1);
}

torch::Tensor lseWeights(int64_t samples, int64_t layers) {
    torch::Tensor w = torch::ones({samples, layers});
    if (layers > 0) {
        auto acc = w.accessor<float, 2>();
        for (int64_t j = 0; j < samples; ++j)
            acc[j][j % layers] += 1.0f;
    }
    return w;
}

torch::Tensor lseLoss(const torch::Tensor& L) {
    TORCH_CHECK(L.dim() == 2, "lseLoss: expects the SDA matrix [N, layers], got ", L.sizes());
    if (L.size(0) == 0)
        return torch::zeros({}, L.options());
    const torch::Tensor w = lseWeights(L.size(0), L.size(1)).to(L.dtype());
    return (w * L).sum() / double(L.size(0));
}

torch::Tensor sdaLoss(const torch::Tensor& L) {
    TORCH_CHECK(L.dim() == 2, "sdaLoss: expects the SDA matrix [N, layers], got ", L.sizes());
    if (L.size(0) == 0)
        return torch::zeros({}, L.options());
    return L.sum() / double(L.size(0));
}

torch::Tensor softTargetCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                     const torch::Tensor& pTarget) {
    TORCH_CHECK(logits.dim() == 2 && labels.dim() == 1 && labels.size(0) == logits.size(0) &&
                    pTarget.sizes() == labels.sizes(),
                "softTargetCrossEntropy: logits [N,K], labels [N], pTarget [N]; got ", logits.sizes(), ", ",
                labels.sizes(), ", ", pTarget.sizes());
    const int64_t k = logits.size(1);
    const auto p = pTarget.to(logits.dtype()).unsqueeze(1);
    const auto onehot = torch::one_hot(labels, k).to(logits.dtype());
    const auto target = onehot * p + (1.0 - onehot) * (1.0 - p) / double(std::max<int64_t>(1, k - 1));
    return -(target * torch::log_softmax(logits, 1)).sum(1).mean();
}

torch::Tensor marginalDistanceLoss(const torch::Tensor& features, const torch::Tensor& labels, double lower,
                                   double upper) {
    TORCH_CHECK(features.dim() == 2 && labels.dim() == 1 && labels.size(0) == features.size(0),
                "marginalDistanceLoss: features [N,D], labels [N]; got ", features.sizes(), ", ", labels.sizes());
    const int64_t k = labels.max().item<int64_t>() + 1;
    const auto onehot = torch::one_hot(labels, k).to(features.dtype());              // [N,K]
    const auto counts = onehot.sum(0).clamp_min(1.0).unsqueeze(1);                    // [K,1]
    const auto centres = (onehot.t().matmul(features.detach()) / counts);             // [K,D]
    const auto c = centres.index_select(0, labels);                                   // [N,D]
    const auto d = 1.0 - torch::cosine_similarity(features, c, 1, 1e-8);
    return (torch::relu(lower - d) + torch::relu(d - upper)).mean();
}

} // namespace dfq::synth
