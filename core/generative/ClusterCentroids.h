#pragma once
// ClusterQ's feature-distribution centroids (methods.md §4, the paper's intent): per class k and deep
// BN layer l, a centroid (μ_{l,k}, σ²_{l,k}) of the class-k batch statistics of the BN input, set the
// first time class k is seen (from the init epoch on) and then moved by an EMA
//     c <- keep·c + (1 − keep)·stat        (keep = 0.8)
// only from samples the teacher classifies as their conditioning class. The class alignment loss pulls
// each class's batch statistics to its centroid, perturbed by uniform noise (±meanNoise on means,
// ±varNoise on variances, resampled every call) so that a class's target moves (against class-wise
// mode collapse):
//     C_BNS = Σ_l mean_{k in batch, k initialised} [MSE_c(μ_{l,k}^batch, μ_{l,k} + u) + MSE_c(σ²_{l,k}^batch, σ²_{l,k} + v)]
// MSE over channels; classes with no sample in the batch or no centroid yet are skipped.
#include "generative/ClassStatistics.h"

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace dfq::generative {

struct CentroidOptions {
    double keep = 0.8;        ///< EMA weight of the old centroid
    double meanNoise = 0.03;  ///< half-width of the uniform perturbation of the mean targets
    double varNoise = 0.05;   ///< ... of the variance targets
};

class ClusterCentroids {
public:
    /// channels: C_l of every deep layer (in the order the statistics will be passed).
    ClusterCentroids(std::vector<int64_t> channels, int64_t classes, CentroidOptions options = {});

    /// EMA update from detached class statistics of the deep layers (ClassStats of the correctly
    /// classified samples only: counts 0 elsewhere). Classes with count 0 are left as they are.
    void update(const std::vector<ClassStats>& stats);
    /// The perturbed targets of one layer: (mean + U(±meanNoise), var + U(±varNoise)), [K,C] each.
    std::pair<torch::Tensor, torch::Tensor> perturbedTargets(size_t layer, at::Generator& gen) const;
    /// C_BNS above for class statistics with autograd (counts: the samples of each class in the batch).
    /// Zero (a scalar with no graph) when no class has both samples and a centroid.
    torch::Tensor alignmentLoss(const std::vector<ClassStats>& stats, at::Generator& gen) const;

    bool initialised(int64_t k) const { return initialised_[size_t(k)]; }
    int64_t initialisedCount() const;
    const torch::Tensor& means(size_t layer) const { return means_.at(layer); }  ///< [K,C]
    const torch::Tensor& vars(size_t layer) const { return vars_.at(layer); }    ///< [K,C]
    size_t layers() const { return means_.size(); }

    /// For checkpoints: "mean.<l>", "var.<l>", "initialised" (uint8 [K]).
    std::map<std::string, torch::Tensor> state() const;
    void loadState(const std::map<std::string, torch::Tensor>& state);

private:
    int64_t classes_;
    CentroidOptions o_;
    std::vector<torch::Tensor> means_, vars_;
    std::vector<bool> initialised_;
};

} // namespace dfq::generative
