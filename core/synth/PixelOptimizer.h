#pragma once
// Optimising input pixels against a frozen teacher (ZeroQ, DSG): Adam on the image, the learning rate
// reduced on plateaus, and a guard that survives NaN / exploding losses instead of saving garbage.
#include "synth/BnStatTap.h"
#include "synth/FrozenTeacher.h"
#include "synth/MethodOptions.h"
#include "synth/SynthesisRun.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dfq::synth {

struct PixelOptimizerOptions {
    int64_t iterations = 500;
    double lr = 0.5;                 ///< Adam
    int64_t patience = 100;          ///< ReduceLROnPlateau on the loss
    double factor = 0.1;
    double minLr = 1e-4;
    int64_t maxRecoveries = 3;       ///< NaN / explosion recoveries per batch before giving up
    double explodeRatio = 1e6;       ///< a loss above explodeRatio × the batch's first loss counts as exploded
    bool channelsLast = true;        ///< NHWC images (with a channels-last FrozenTeacher): 1.1x faster here
    bool foldBatchNorm = true;       ///< fold the teacher's BNs into its convs (FrozenTeacherOptions)
};

/// The option specs above as JSON keys (iterations, lr, patience, lr_factor, min_lr, max_recoveries,
/// explode_ratio, channels_last, fold_bn), for methods built on this optimiser, and their parsing.
std::vector<OptionSpec> pixelOptimizerSpecs();
PixelOptimizerOptions pixelOptimizerOptions(const nlohmann::json& resolved);
/// How those options freeze the teacher.
FrozenTeacherOptions frozenTeacherOptions(const PixelOptimizerOptions& options);

/// Throws SynthesisError when the model has no BatchNorm layer to take statistics from.
void requireBatchNorm(models::ZooModelImpl& model);

/// A loss of one step: the total to minimise and its named parts (reported, not differentiated).
struct LossTerms {
    torch::Tensor total;
    std::map<std::string, torch::Tensor> parts;
};
/// What the teacher computed at a step: logits [B,K] and its penultimate features [B,D]
/// (logits = model.classify(features)).
struct TeacherOutputs {
    torch::Tensor logits, features;
};
/// images [B,C,H,W] (requires grad), the teacher's outputs, and the BN statistics the tap recorded
/// during that forward.
using PixelLoss = std::function<LossTerms(const torch::Tensor& images, const TeacherOutputs& teacher,
                                          const std::vector<BnLayerStats>& stats)>;
/// What the teacher sees of the images at a step (differentiable), e.g. IntraQ's random resized
/// crop. Empty: the images themselves.
using PixelView = std::function<torch::Tensor(const torch::Tensor& images)>;

/// Optimises `init` [B,C,H,W] (copied; only it requires grad) for options.iterations steps, reporting
/// each step through `run` (progress, diagnostics, cancel checks between steps).
///
/// Guard: when the loss is NaN/Inf or exceeds explodeRatio × the first loss, the images go back to the
/// last ones that gave a finite loss, Adam restarts (its moments may hold the NaN) at half the
/// learning rate, a note is recorded, and the iteration counts against the budget. After
/// maxRecoveries such events in one batch, throws SynthesisError naming the method, batch, iteration,
/// what happened and the learning rate. Returns the final images, always finite, detached.
torch::Tensor optimizePixels(const torch::Tensor& init, BnStatTap& tap, const PixelLoss& loss,
                             const PixelOptimizerOptions& options, SynthesisRun& run, int64_t batch,
                             const PixelView& view = {});

} // namespace dfq::synth
