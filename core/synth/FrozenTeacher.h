#pragma once
#include "models/InferenceLayout.h"
#include "models/ZooModel.h"

#include <memory>
#include <vector>

namespace dfq::synth {

struct FrozenTeacherOptions {
    /// Store the convolution weights channels-last (NHWC), the layout oneDNN convolves fastest on CPU.
    bool channelsLast = false;
    /// Fold each BN into the conv before it (eval-mode BN is a per-channel affine map), so the forward
    /// and backward skip the BN's two full-size passes. BnStatTap maps the statistics it sees back to
    /// the BN input, so every loss is unchanged (to float rounding). Which BNs are left alone:
    /// models::InferenceLayoutOptions.
    bool foldBatchNorm = false;
};

/// Scope in which a teacher is used as a fixed function of its input: eval mode (BN uses running
/// statistics, as the BNS losses assume) and requires_grad(false) on every parameter, so backward()
/// computes only the image gradient (no weight gradients, no gradient buffers on the weights).
/// Optionally channels-last weights and BN folding (above). Everything is restored on destruction
/// (mode, flags, weight layout, hooks, BN switches); the weights themselves are never modified.
class FrozenTeacher {
public:
    explicit FrozenTeacher(models::ZooModelImpl& model, const FrozenTeacherOptions& options = {});
    ~FrozenTeacher();
    FrozenTeacher(const FrozenTeacher&) = delete;
    FrozenTeacher& operator=(const FrozenTeacher&) = delete;

    /// Number of BNs folded.
    size_t foldedCount() const { return layout_->foldedCount(); }

private:
    models::ZooModelImpl& model_;
    bool wasTraining_;
    std::vector<std::pair<torch::Tensor, bool>> requiresGrad_;
    std::unique_ptr<models::InferenceLayout> layout_;   // models/InferenceLayout.h
};

} // namespace dfq::synth
