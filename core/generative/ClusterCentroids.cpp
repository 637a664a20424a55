#include "generative/ClusterCentroids.h"

#include "generative/GenerativeError.h"

#include <torch/torch.h>

namespace dfq::generative {

ClusterCentroids::ClusterCentroids(std::vector<int64_t> channels, int64_t classes, CentroidOptions o)
    : classes_(classes), o_(o), initialised_(size_t(classes), false) {
    for (int64_t c : channels) {
        means_.push_back(torch::zeros({classes, c}));
        vars_.push_back(torch::ones({classes, c}));
    }
}

void ClusterCentroids::update(const std::vector<ClassStats>& stats) {
    if (stats.size() != means_.size())
        throw GenerativeError("ClusterQ: " + std::to_string(stats.size()) + " layers of statistics for " +
                              std::to_string(means_.size()) + " centroid layers");
    torch::NoGradGuard ng;
    const auto counts = stats.front().counts.to(torch::kLong);
    for (int64_t k = 0; k < classes_; ++k) {
        if (counts[k].item<int64_t>() <= 0)
            continue;
        const bool first = !initialised_[size_t(k)];
        for (size_t l = 0; l < means_.size(); ++l) {
            const auto m = stats[l].mean[k].detach(), v = stats[l].var[k].detach();
            if (first) {
                means_[l][k].copy_(m);
                vars_[l][k].copy_(v);
            } else {
                means_[l][k].mul_(o_.keep).add_(m, 1.0 - o_.keep);
                vars_[l][k].mul_(o_.keep).add_(v, 1.0 - o_.keep);
            }
        }
        initialised_[size_t(k)] = true;
    }
}

std::pair<torch::Tensor, torch::Tensor> ClusterCentroids::perturbedTargets(size_t l, at::Generator& gen) const {
    const auto& m = means_.at(l);
    const auto& v = vars_.at(l);
    auto u = torch::empty_like(m).uniform_(-o_.meanNoise, o_.meanNoise, gen);
    auto w = torch::empty_like(v).uniform_(-o_.varNoise, o_.varNoise, gen);
    return {m + u, v + w};
}

torch::Tensor ClusterCentroids::alignmentLoss(const std::vector<ClassStats>& stats, at::Generator& gen) const {
    if (stats.size() != means_.size())
        throw GenerativeError("ClusterQ: statistics and centroids have different layer counts");
    std::vector<int64_t> ks;
    const auto counts = stats.front().counts.to(torch::kLong);
    for (int64_t k = 0; k < classes_; ++k)
        if (initialised_[size_t(k)] && counts[k].item<int64_t>() > 0)
            ks.push_back(k);
    if (ks.empty())
        return torch::zeros({});
    const auto idx = torch::tensor(ks, torch::kLong);
    torch::Tensor total;
    for (size_t l = 0; l < means_.size(); ++l) {
        auto [tm, tv] = perturbedTargets(l, gen);
        const auto bm = stats[l].mean.index_select(0, idx), bv = stats[l].var.index_select(0, idx);
        // per class: MSE over channels; then the mean over the classes in the batch
        const auto term = (bm - tm.index_select(0, idx)).pow(2).mean(1) + (bv - tv.index_select(0, idx)).pow(2).mean(1);
        const auto layerLoss = term.mean();
        total = total.defined() ? total + layerLoss : layerLoss;
    }
    return total;
}

int64_t ClusterCentroids::initialisedCount() const {
    int64_t n = 0;
    for (bool b : initialised_)
        n += b ? 1 : 0;
    return n;
}

std::map<std::string, torch::Tensor> ClusterCentroids::state() const {
    std::map<std::string, torch::Tensor> s;
    for (size_t l = 0; l < means_.size(); ++l) {
        s["mean." + std::to_string(l)] = means_[l].clone();
        s["var." + std::to_string(l)] = vars_[l].clone();
    }
    auto init = torch::zeros({classes_}, torch::kUInt8);
    for (int64_t k = 0; k < classes_; ++k)
        init[k] = initialised_[size_t(k)] ? 1 : 0;
    s["initialised"] = init;
    return s;
}

void ClusterCentroids::loadState(const std::map<std::string, torch::Tensor>& s) {
    const auto get = [&](const std::string& key, const torch::Tensor& like) {
        auto it = s.find(key);
        if (it == s.end() || !it->second.sizes().equals(like.sizes()))
            throw GenerativeError("ClusterQ checkpoint: '" + key + "' is missing or has another shape");
        return it->second;
    };
    for (size_t l = 0; l < means_.size(); ++l) {
        means_[l] = get("mean." + std::to_string(l), means_[l]).clone();
        vars_[l] = get("var." + std::to_string(l), vars_[l]).clone();
    }
    const auto init = get("initialised", torch::zeros({classes_}, torch::kUInt8));
    for (int64_t k = 0; k < classes_; ++k)
        initialised_[size_t(k)] = init[k].item<int64_t>() != 0;
}

} // namespace dfq::generative
