#pragma once
// How far a batch's BatchNorm-input statistics are from the running statistics the teacher was
// trained with: the yardstick for synthetic calibration data (real data scores low, noise high).
#include "models/ZooModel.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace dfq::metrics {

/// Divergence of one BN layer. Standard deviations are sqrt(var + eps) with the BN's eps.
struct LayerDivergence {
    std::string name;     ///< BN module path, or "mean" for an average over layers
    double meanL2 = 0;    ///< ‖μ_batch − μ_run‖₂ over channels
    double stdL2 = 0;     ///< ‖σ_batch − σ_run‖₂ over channels
    double kl = 0;        ///< mean over channels of KL(N(μ_b, σ_b²) ‖ N(μ_run, σ_run²)), nats
};

/// Elementwise KL(N(mu1, var1) ‖ N(mu2, var2)) = ½·[log(var2/var1) + (var1 + (mu1−mu2)²)/var2 − 1],
/// in nats; broadcasting tensors; variances must be > 0.
torch::Tensor gaussianKl(const torch::Tensor& mu1, const torch::Tensor& var1, const torch::Tensor& mu2,
                         const torch::Tensor& var2);

/// One layer from its batch statistics [C] (biased variance) and running statistics [C].
LayerDivergence layerDivergence(const std::string& name, const torch::Tensor& batchMean,
                                const torch::Tensor& batchVar, const torch::Tensor& runningMean,
                                const torch::Tensor& runningVar, double eps);

/// Average of the three numbers over layers, named "mean" (zeros for an empty list).
LayerDivergence meanDivergence(const std::vector<LayerDivergence>& layers);

/// Runs the model (eval mode, no autograd) over images [N,C,H,W] in chunks of batchSize and returns,
/// per BN layer in forward order, the divergence of the statistics of the *whole set* (channel mean
/// and biased variance over all N·H·W positions, merged across chunks in double precision).
/// Restores the model's train/eval mode and BN hooks afterwards. Empty for a model without BN.
std::vector<LayerDivergence> bnDivergence(models::ZooModelImpl& model, const torch::Tensor& images,
                                          int64_t batchSize = 256);

} // namespace dfq::metrics
