#include "metrics/Diversity.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace dfq::metrics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double meanPairwiseCosineDistance(const torch::Tensor& rows) {
    const int64_t n = rows.dim() == 0 ? 0 : rows.size(0);
    if (n < 2)
        return kNaN;
    torch::NoGradGuard ng;
    const torch::Tensor x = rows.detach().reshape({n, -1}).to(torch::kFloat64);
    const torch::Tensor norms = x.norm(2, 1, /*keepdim=*/true);
    // Zero rows stay zero after this division: cos = 0 with everything, i.e. distance 1.
    const torch::Tensor unit = x / norms.clamp_min(1e-300);
    const double sumAll = unit.sum(0).pow(2).sum().item<double>();      // Σ_i Σ_j x̂_i·x̂_j
    const double sumSelf = unit.pow(2).sum().item<double>();            // Σ_i ‖x̂_i‖²
    const double meanCos = (sumAll - sumSelf) / (double(n) * double(n - 1));
    return 1.0 - meanCos;
}

ClassDiversity intraClassDiversity(const torch::Tensor& rows, const torch::Tensor& labels, int64_t numClasses) {
    if (rows.dim() < 1 || labels.dim() != 1 || labels.size(0) != rows.size(0))
        throw std::invalid_argument("intraClassDiversity: rows [N,...] and labels [N] must agree");
    ClassDiversity d;
    d.perClass.assign(size_t(numClasses), kNaN);
    d.counts.assign(size_t(numClasses), 0);
    const torch::Tensor lab = labels.to(torch::kLong);
    double sum = 0;
    int64_t used = 0;
    for (int64_t c = 0; c < numClasses; ++c) {
        const torch::Tensor idx = torch::nonzero(lab == c).flatten();
        d.counts[size_t(c)] = idx.numel();
        if (idx.numel() < 2)
            continue;
        d.perClass[size_t(c)] = meanPairwiseCosineDistance(rows.index_select(0, idx));
        sum += d.perClass[size_t(c)];
        ++used;
    }
    d.meanOverClasses = used ? sum / double(used) : kNaN;
    d.pooled = meanPairwiseCosineDistance(rows);
    return d;
}

std::vector<double> modeCollapse(const ClassDiversity& s, const ClassDiversity& r) {
    std::vector<double> out(s.perClass.size(), kNaN);
    for (size_t c = 0; c < s.perClass.size(); ++c) {
        const double ref = (c < r.perClass.size() && !std::isnan(r.perClass[c])) ? r.perClass[c]
                                                                                  : r.meanOverClasses;
        if (std::isnan(s.perClass[c]) || std::isnan(ref) || ref == 0.0)
            continue;
        out[c] = 1.0 - s.perClass[c] / ref;
    }
    return out;
}

std::vector<SimilarPair> mostSimilarPairs(const torch::Tensor& rows, const torch::Tensor& labels, int64_t numClasses,
                                          int perClass) {
    if (rows.dim() < 1 || labels.dim() != 1 || labels.size(0) != rows.size(0))
        throw std::invalid_argument("mostSimilarPairs: rows [N,...] and labels [N] must agree");
    torch::NoGradGuard ng;
    const int64_t n = rows.size(0);
    const torch::Tensor x = rows.detach().reshape({n, -1}).to(torch::kFloat64);
    const torch::Tensor unit = x / x.norm(2, 1, /*keepdim=*/true).clamp_min(1e-300);
    const torch::Tensor lab = labels.to(torch::kLong);
    std::vector<SimilarPair> out;
    for (int64_t c = 0; c < numClasses && perClass > 0; ++c) {
        const torch::Tensor idx = torch::nonzero(lab == c).flatten();
        const int64_t m = idx.numel();
        if (m < 2)
            continue;
        const torch::Tensor u = unit.index_select(0, idx);
        // Strict upper triangle only: each unordered pair once, never a sample with itself.
        const torch::Tensor sim = torch::matmul(u, u.t()).triu(1);
        const torch::Tensor upper = torch::ones({m, m}, torch::kBool).triu(1);
        const torch::Tensor flat = sim.masked_fill(upper.logical_not(), -3.0).flatten();
        const int64_t k = std::min<int64_t>(perClass, m * (m - 1) / 2);
        const auto top = flat.topk(k);
        const auto values = std::get<0>(top), where = std::get<1>(top);
        const auto ids = idx.accessor<int64_t, 1>();
        for (int64_t i = 0; i < k; ++i) {
            const int64_t f = where[i].item<int64_t>();
            out.push_back({c, ids[f / m], ids[f % m], values[i].item<double>()});
        }
    }
    return out;
}

} // namespace dfq::metrics
