#pragma once
// Quantization-aware fine-tuning with knowledge distillation (the GDFQ family's student step,
// methods.md §0):
//
//   L = CE(s, y) + α·T²·KL(softmax(t/T) ‖ softmax(s/T))
//
// s = the fake-quant student's logits, t = the FP32 teacher's logits (no gradient). KL reduction
// explicit: "mean" divides the element sum by B·C (GDFQ/Qimera/DSG, the default with α = 1, T = 20),
// "batchmean" by B (IntraQ/FDDA use α = 20); they differ by a factor of C (§8.2). When a batch has no
// labels (synthetic images, labels -1 or undefined) y = argmax t.
// Optimiser: SGD, Nesterov momentum 0.9, weight decay 1e-4 on every student parameter (weights, biases,
// BN affine); lr with a cosine (to 0 at the last step) or step (×0.1 at 50 % and 75 %) schedule per
// step. The student stays in eval mode (BN running statistics frozen from the FP model, BN affine
// trained, §8.4), weight ranges are recomputed every forward (WeightQuantHook::trackWeights, GDFQ),
// activation ranges stay as calibrated (frozen, §8.3), any AdaRound rounding is removed (the weights
// move). The teacher is a separate FP32 copy (cloneModel).
#include "data/Batch.h"
#include "quant/BatchSource.h"
#include "quant/QuantizedModel.h"
#include "runtime/CancelToken.h"

#include <functional>
#include <optional>
#include <string>

namespace torch::optim {
class Optimizer;
}

namespace dfq::quant {

struct QatOptions {
    int64_t steps = 1000;            ///< student updates in total
    double lr = 1e-4;
    std::string schedule = "cosine"; ///< "cosine" or "step"
    double momentum = 0.9;
    bool nesterov = true;
    double weightDecay = 1e-4;
    double alpha = 1.0;
    double temperature = 20.0;
    std::string klReduction = "mean"; ///< "mean" (÷ B·C) or "batchmean" (÷ B)
    /// Called when the batch function is exhausted (e.g. start the next epoch); when unset, training
    /// stops early at the end of the data.
    std::function<void()> rewind;
    /// Called every step: (step, steps, loss).
    std::function<void(int64_t, int64_t, double)> progress;
    /// Resuming: the first step to run (0-based); the lr schedule continues from it, `steps` stays the
    /// total. The data function must deliver the batches of that point on.
    int64_t firstStep = 0;
    /// Called once with the optimiser before the first step (resuming: load its saved state).
    std::function<void(torch::optim::Optimizer&)> prepareOptimizer;
    /// Called after every step with the optimiser (e.g. an epoch checkpoint with its momentum buffers).
    std::function<void(int64_t step, torch::optim::Optimizer&)> afterStep;
    runtime::CancelToken cancel;
};

struct QatReport {
    int64_t steps = 0;
    double lastLoss = 0, meanLoss = 0; ///< last step; mean over all steps
};

/// A second instance of the same architecture with the same state dict (FP32, eval mode).
models::ZooModel cloneModel(models::ZooModelImpl& model);

/// KD + CE loss as above (for tests). labels may be undefined or hold -1: then argmax(teacher).
torch::Tensor qatLoss(const torch::Tensor& student, const torch::Tensor& teacher, const torch::Tensor& labels,
                      double alpha, double temperature, const std::string& klReduction);

/// Fine-tunes qm's model (calibrated, Frozen) against teacher on batches from next() (labels -1 or
/// undefined = none). Throws QuantError on bad options, runtime::Cancelled when cancelled (the model
/// keeps the updates so far). Leaves the model in eval mode, Frozen, trackWeights off, weight ranges
/// refreshed from the trained weights.
QatReport runQatDistillation(QuantizedModel& qm, models::ZooModel teacher,
                             const std::function<std::optional<data::Batch>()>& next, const QatOptions& options = {});
/// The same with an image-only source (no labels).
QatReport runQatDistillation(QuantizedModel& qm, models::ZooModel teacher, BatchSource& source,
                             const QatOptions& options = {});

} // namespace dfq::quant
