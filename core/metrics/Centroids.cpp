#include "metrics/Centroids.h"

#include <torch/torch.h>

#include <stdexcept>

namespace dfq::metrics {

torch::Tensor ClassCentroids::present() const {
    const auto classes = presentClasses();
    return centroids.index_select(0, torch::tensor(classes, torch::kLong));
}

std::vector<int64_t> ClassCentroids::presentClasses() const {
    std::vector<int64_t> out;
    for (size_t c = 0; c < counts.size(); ++c)
        if (counts[c] > 0)
            out.push_back(int64_t(c));
    return out;
}

ClassCentroids classCentroids(const torch::Tensor& features, const torch::Tensor& labels, int64_t numClasses) {
    if (features.dim() != 2 || labels.dim() != 1 || labels.size(0) != features.size(0))
        throw std::invalid_argument("classCentroids: features [N,D] and labels [N] must agree");
    torch::NoGradGuard ng;
    const int64_t d = features.size(1);
    const torch::Tensor f = features.detach().to(torch::kFloat64);
    const torch::Tensor lab = labels.to(torch::kLong);
    torch::Tensor sums = torch::zeros({numClasses, d}, torch::kFloat64).index_add_(0, lab, f);
    torch::Tensor counts = torch::zeros({numClasses}, torch::kFloat64)
                               .index_add_(0, lab, torch::ones({lab.size(0)}, torch::kFloat64));
    ClassCentroids out;
    // 0/0 = NaN marks empty classes, which is what the header promises.
    out.centroids = (sums / counts.unsqueeze(1)).to(torch::kFloat32);
    for (int64_t c = 0; c < numClasses; ++c)
        out.counts.push_back(int64_t(counts[c].item<double>()));
    return out;
}

Pca2d pca2d(const torch::Tensor& points) {
    if (points.dim() != 2)
        throw std::invalid_argument("pca2d: points must be [M,D]");
    torch::NoGradGuard ng;
    const int64_t m = points.size(0), d = points.size(1);
    const torch::Tensor x = points.detach().to(torch::kFloat64);
    if (!torch::isfinite(x).all().item<bool>())
        throw std::invalid_argument("pca2d: points contain NaN or Inf (pass only present classes)");
    Pca2d out;
    out.mean = m > 0 ? x.mean(0) : torch::zeros({d}, torch::kFloat64);
    const torch::Tensor centred = x - out.mean;
    torch::Tensor comps = torch::zeros({2, d}, torch::kFloat64);
    if (m >= 2 && d >= 1) {
        auto [u, s, vh] = at::linalg_svd(centred, /*full_matrices=*/false);
        const double total = s.pow(2).sum().item<double>();
        const int64_t k = std::min<int64_t>(2, s.size(0));
        for (int64_t i = 0; i < k; ++i) {
            const double si = s[i].item<double>();
            if (total <= 0 || si * si <= 1e-24 * total)
                continue;   // a zero-variance axis has no direction: leave it zero
            torch::Tensor axis = vh[i];
            // SVD signs are arbitrary; fix them so plots do not flip between runs.
            if (axis[axis.abs().argmax()].item<double>() < 0)
                axis = -axis;
            comps[i] = axis;
            out.explained[i] = si * si / total;
        }
    }
    out.components = comps.to(torch::kFloat32);
    out.projected = centred.matmul(comps.t()).to(torch::kFloat32);
    out.mean = out.mean.to(torch::kFloat32);
    return out;
}

} // namespace dfq::metrics
