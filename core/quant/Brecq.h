#pragma once
// BRECQ (Li et al., ICLR 2021, methods.md §7): AdaRound applied per block instead of per layer.
//
// Units, found generically from module names in forward order:
//   "layerX.Y.*"   -> block "layerX.Y" (CIFAR ResNet BasicBlock, torchvision BasicBlock/Bottleneck)
//   "features.N.*" -> block "features.N" (MobileNetV2 inverted residuals and its ConvBNReLU6 stem/head)
//   anything else (CIFAR stem "conv1", "linear", torchvision "fc", "classifier.1") -> a single layer,
//   reconstructed on its own output (the conv output before BN, as AdaRound).
// For a block, the target is the FP32 block output on FP32 inputs, the input is the block input from
// the quantized model so far (earlier blocks hard-rounded, activations fake-quantized), and the block
// runs with every quantizer inside it on: AdaRound V for each weight (h(V), λ = 0.01, β 20→2 after a
// 20 % warm-up, as quant/AdaRound.h) and LSQ learnable steps for the activation quantizers inside the
// block (initialised from their calibrated ranges; Adam lr 4e-5 as BRECQ). Loss: Σ_c (ŷ − y)²
// averaged over batch and positions + λ·Σ reg. The per-channel weight grids are whatever the spec's
// weight observer chose (the CLI uses "mse": MSE-initialised scales, as BRECQ). First/last layers at
// 8 bits come from the placement (LayerPlacement::F8L8).
// Published: 20,000 iterations per block, batch 32, 1,024 images; our CPU default is 1,000.
#include "quant/AdaRound.h"

namespace dfq::quant {

struct BrecqOptions {
    int64_t iterations = 1000;   ///< per block (published: 20,000)
    int64_t batchSize = 32;
    double lambda = 0.01;
    double betaStart = 20.0, betaEnd = 2.0, warmup = 0.2;
    double lrRounding = 1e-3;    ///< Adam on V
    double lrStep = 4e-5;        ///< Adam on the LSQ activation steps (0: keep the calibrated ranges)
    uint64_t seed = 0;
    int64_t maxImages = -1;
    /// Only units whose name passes (default: all).
    std::function<bool(const std::string& unit)> which;
    std::function<void(const std::string& block, int64_t iteration, double recLoss, double regLoss)> progress;
    runtime::CancelToken cancel;
};

struct BrecqBlockReport {
    std::string block;
    std::vector<std::string> layers;
    double mseBefore = 0;  ///< block-output MSE with nearest rounding and calibrated ranges
    double mseAfter = 0;   ///< with the final hard rounding and learned steps
    double seconds = 0;    ///< wall time of this block's reconstruction
};

/// The reconstruction units: (unit name, layer names) in forward order, for the spec's quantized layers.
std::vector<std::pair<std::string, std::vector<std::string>>> brecqUnits(models::ZooModelImpl& model);

/// Runs BRECQ on a calibrated (Frozen) QuantizedModel. Leaves hard AdaRound roundings on the hooks,
/// learned steps copied back into the activation quantizers, and the model in Frozen mode.
std::vector<BrecqBlockReport> runBrecq(QuantizedModel& qm, BatchSource& source, const BrecqOptions& options = {});

} // namespace dfq::quant
