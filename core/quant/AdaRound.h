#pragma once
// AdaRound (Nagel et al., ICML 2020, methods.md §7): per-layer output reconstruction that learns, for
// every weight, whether to round down or up on the layer's frozen grid.
//
//   h(V)  = clip(σ(V)·(ζ−γ) + γ, 0, 1)           rectified sigmoid, ζ = 1.1, γ = −0.1
//   W̃     = (clamp(floor(W/Δ) + h(V) + z, qmin, qmax) − z)·Δ     (soft, while optimising)
//   W̃     = (clamp(floor(W/Δ) + [h(V) ≥ 0.5] + z, qmin, qmax) − z)·Δ  (hard, at the end)
//   V₀    : h(V₀) = frac(W/Δ), i.e. V₀ = logit((frac + 0.1)/1.2), so the soft weight starts at W
//   loss  = Σ_c (ŷ − y)² averaged over the batch and spatial positions (BRECQ's lp_loss: sum over the
//           channel dim, mean over the rest)  +  λ·Σ_i (1 − |2h_i − 1|^β)
//           the regulariser is off during the first warm-up fraction (20 %) of the iterations; then β
//           decays linearly from 20 to 2 (BRECQ's LinearTempDecay).
//   Adam on V, lr 1e-3. The published default is 20,000 iterations per layer; on a 2-core CPU we
//   default to 2,000 (AdaRoundOptions::iterations) — more iterations help, see docs/benchmarks.md.
//
// Protocol (AdaRound/BRECQ): the layer's input comes from the quantized model so far (earlier layers
// already hard-rounded, activations fake-quantized with their frozen ranges), the target is the FP32
// model's output of the same layer on the same images. The layer output is the Conv2d/Linear output
// (before BN when BN is not folded). The WeightQuantHook::rounding entry point carries the result.
#include "quant/QuantizedModel.h"
#include "runtime/CancelToken.h"

#include <functional>
#include <memory>
#include <string>

namespace dfq::quant {

constexpr double kAdaRoundZeta = 1.1;
constexpr double kAdaRoundGamma = -0.1;

/// h(V) = clip(σ(V)·1.2 − 0.1, 0, 1), elementwise, differentiable.
torch::Tensor rectifiedSigmoid(const torch::Tensor& v);
/// Σ (1 − |2h − 1|^β) over every element (a scalar tensor).
torch::Tensor adaRoundRegularizer(const torch::Tensor& h, double beta);
/// V such that h(V) = frac(w/Δ) (fractional part in [0,1)), for a frozen grid ([] or [C] scales).
torch::Tensor adaRoundInitV(const torch::Tensor& w, const QuantParams& grid);
/// β at iteration t of T (warm-up fraction → 0 means the regulariser is off; returns 0 then).
double adaRoundBeta(int64_t t, int64_t total, double warmup, double betaStart, double betaEnd);

/// The learnable rounding of one layer (plugs into WeightQuantHook::rounding).
class AdaRoundRounding : public WeightRounding {
public:
    /// v: the per-element rounding variable, same shape as the weight.
    explicit AdaRoundRounding(torch::Tensor v);
    torch::Tensor fakeQuantize(const torch::Tensor& w, const QuantParams& grid) override;
    /// Integer codes q (float tensor) with the current rounding (hard when hard(), else h(V) rounded
    /// at 0.5 too: codes are always integers).
    torch::Tensor codes(const torch::Tensor& w, const QuantParams& grid) const;
    torch::Tensor& v() { return v_; }
    bool hard() const { return hard_; }
    void setHard(bool hard) { hard_ = hard; }

private:
    torch::Tensor v_;
    bool hard_ = false;
};

struct AdaRoundOptions {
    int64_t iterations = 2000;     ///< per layer (published: 20,000)
    int64_t batchSize = 32;        ///< images per Adam step, sampled from the calibration set
    double lambda = 0.01;          ///< regulariser weight λ
    double betaStart = 20.0, betaEnd = 2.0;
    double warmup = 0.2;           ///< fraction of iterations without the regulariser
    double lr = 1e-3;              ///< Adam on V
    uint64_t seed = 0;             ///< batch sampling
    int64_t maxImages = -1;        ///< calibration images kept (-1: all the source gives)
    /// Only layers whose name passes (default: every quantized-weight layer).
    std::function<bool(const std::string& layer)> which;
    /// Called every 100 iterations and at the end of each layer.
    std::function<void(const std::string& layer, int64_t iteration, double recLoss, double regLoss)> progress;
    runtime::CancelToken cancel;
};

struct AdaRoundLayerReport {
    std::string layer;
    double mseNearest = 0;   ///< mean (ŷ − y)² with round-to-nearest, on the calibration set
    double mseAdaRound = 0;  ///< same with the final hard rounding
    double flippedFraction = 0; ///< fraction of weights rounded differently from nearest
    double seconds = 0;         ///< wall time of this layer's optimisation
};

/// Runs AdaRound layer by layer in forward order on a calibrated (Frozen) QuantizedModel. Images come
/// from source (collected once). Leaves a hard AdaRoundRounding on every processed layer's hook and
/// the model in Frozen mode. Throws QuantError on an empty source or a model not calibrated;
/// runtime::Cancelled when cancelled (the layers finished so far keep their rounding).
std::vector<AdaRoundLayerReport> runAdaRound(QuantizedModel& qm, BatchSource& source, const AdaRoundOptions& options = {});

/// Collects up to maxImages images (-1: all) from a source into one tensor [M, C, H, W].
/// Throws QuantError when the source is empty.
torch::Tensor collectImages(BatchSource& source, int64_t maxImages = -1);

} // namespace dfq::quant
