#pragma once
// Losses on BatchNorm statistics used to distil images from a teacher (methods.md §0, §1, §3).
// All take the per-layer statistics a BnStatTap recorded (or hand-built ones) and return tensors that
// keep the autograd graph back to the images. Every layer passed must be recorded(); an unrecorded
// layer throws std::invalid_argument naming it (a BN the forward never reached is a model bug).
#include "synth/BnStatTap.h"

#include <torch/types.h>

#include <vector>

namespace dfq::synth {

/// Options of ZeroQ's BN-statistics loss.
struct BnsOptions {
    /// false (ZeroQ's code): per-sample channel statistics [N,C] against the running ones, summed over
    /// samples and divided by N. true: the batch statistics [C] against the running ones (N = 1).
    bool perBatch = false;
    /// Standard deviations on both sides are sqrt(var + eps); ZeroQ uses 1e-6 (not the BN's eps).
    double eps = 1e-6;
};

/// ZeroQ: Σ_l (‖μ_l − μ̃_l‖² + ‖σ_l − σ̃_l‖²) / N over BN layers l, with μ_l, σ_l = sqrt(running_var + eps)
/// the running statistics and μ̃, σ̃ the (per-sample or batch) statistics of the BN input; the
/// squared norms run over channels and samples. Returns a scalar.
/// Note: we use the biased variance, like BatchNorm; ZeroQ's code calls torch.var (unbiased) — the
/// difference is a factor (HW/(HW−1)) on the input variance, negligible except on tiny maps.
torch::Tensor zeroqBnsLoss(const std::vector<BnLayerStats>& layers, const BnsOptions& options = {});

/// ZeroQ's input term: the same loss for the image itself against mean 0 / std 1 per channel
/// (normalised space). images [N,C,H,W]. Returns a scalar.
torch::Tensor inputStatsLoss(const torch::Tensor& images, const BnsOptions& options = {});

/// GDFQ family (methods.md §0): (1/L) Σ_l [MSE(μ_l^batch, μ_l^run) + MSE(σ²_l^batch, σ²_l^run)], batch
/// statistics over (N,H,W), biased variance, MSE averaged over channels, *variance* not std. Scalar.
torch::Tensor gdfqBnsLoss(const std::vector<BnLayerStats>& layers);

/// Genie (methods.md §7): Σ_l (‖μ̃_l − μ_l‖² + ‖σ̃_l − σ_l‖²) / C_l over BN layers l, with the *batch*
/// statistics μ̃, σ̃ = sqrt(var + eps) of the BN input and σ = sqrt(running_var + eps); each layer's
/// squared norms are averaged over its C_l channels (Genie's ‖·‖²/C), so wide layers do not dominate.
/// Biased variance, as BatchNorm (Genie's code: unbiased; a factor NHW/(NHW−1), negligible). Scalar.
torch::Tensor genieBnsLoss(const std::vector<BnLayerStats>& layers, double eps = 1e-6);

/// DSG slack margins, per layer: delta on the mean gap, gamma on the std gap, each [C].
struct SdaMargins {
    std::vector<torch::Tensor> delta;
    std::vector<torch::Tensor> gamma;
    bool empty() const { return delta.empty(); }
};

/// DSG slack distribution alignment, per sample n and layer l:
///   L[n,l] = ‖max(|μ̃_nl − μ_l| − δ_l, 0)‖² + ‖max(|σ̃_nl − σ_l| − γ_l, 0)‖²   (norms over channels)
/// with per-sample statistics μ̃, σ̃ = sqrt(var + eps) and running μ, σ = sqrt(running_var + eps).
/// Margins of zero give ZeroQ's per-sample terms. Returns L [N, layers].
torch::Tensor sdaLossMatrix(const std::vector<BnLayerStats>& layers, const SdaMargins& margins,
                            double eps = 1e-6);

/// Weights of DSG's layerwise sample enhancement, W [samples, layers]: W[j,l] = 1 + [l == j mod layers].
/// With samples == layers (DSG's setting) this is I + 11ᵀ, so sample j weighs layer j double. With
/// more samples than layers the emphasis wraps around (sample j stresses layer j mod L); with fewer,
/// the last layers get no emphasised sample.
torch::Tensor lseWeights(int64_t samples, int64_t layers);

/// DSG's LSE loss (1/N)·1ᵀ[W ⊙ L]·1 with W = lseWeights(N, layers) and N = L.size(0) (the batch).
/// For N == layers this is exactly (1/N)·1ᵀ[(I + 11ᵀ) ⊙ L]·1. L [N, layers] -> scalar.
torch::Tensor lseLoss(const torch::Tensor& sdaMatrix);

/// SDA without LSE: 1ᵀ L 1 / N, the ZeroQ-style per-sample average. L [N, layers] -> scalar.
torch::Tensor sdaLoss(const torch::Tensor& sdaMatrix);

// ---- IntraQ (Zhong et al., CVPR 2022; methods.md §7) ------------------------------------------

/// Soft-target cross-entropy: the target distribution puts pTarget[i] on labels[i] and spreads
/// 1 − pTarget[i] evenly over the other K − 1 classes; loss = mean_i Σ_k −t_ik · log softmax(z_i)_k.
/// logits [N,K], labels int64 [N], pTarget float [N] in (0, 1] -> scalar.
torch::Tensor softTargetCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                     const torch::Tensor& pTarget);

/// Marginal distance constraint: d_i = 1 − cos(f_i, c_{y_i}), c_y = the mean feature of class y in
/// this batch (detached: the centre is a reference, not pulled); loss = mean_i [relu(lower − d_i) +
/// relu(d_i − upper)]: samples stay near their class centre, but not collapsed onto it.
/// features [N,D], labels int64 [N] -> scalar.
torch::Tensor marginalDistanceLoss(const torch::Tensor& features, const torch::Tensor& labels, double lower,
                                   double upper);

} // namespace dfq::synth
