#pragma once
// A scope in which a float model runs faster as a fixed function, for evaluation and for synthesis:
// convolution weights stored channels-last (oneDNN's native layout on CPU: ResNet-20's forward at
// batch 64 is ~2.4x faster here) and each eval-mode BN folded into the conv before it (a conv hook
// with the folded weight and bias; the BN passes through, its hook still sees the folded output).
// Nothing is written into the model's tensors' values; everything is restored on destruction.
// Only for eval mode: a folded BN uses its running statistics.
#include "models/ZooModel.h"

#include <vector>

namespace dfq::models {

struct InferenceLayoutOptions {
    bool channelsLast = false;
    /// A BN is left alone when it or its conv already has a hook (e.g. a quantizer's), it is already
    /// disabled, its statistics are not finite, or a channel's scale γ/sqrt(var+eps) is below 1e-6 in
    /// magnitude (its input could not be recovered from its output, which BN-statistic taps need).
    bool foldBatchNorm = false;
};

class InferenceLayout {
public:
    InferenceLayout(ZooModelImpl& model, const InferenceLayoutOptions& options);
    ~InferenceLayout();
    InferenceLayout(const InferenceLayout&) = delete;
    InferenceLayout& operator=(const InferenceLayout&) = delete;

    size_t foldedCount() const { return folded_.size(); }

private:
    class FoldHook;
    struct Folded {
        Conv2d conv;
        BatchNorm2d bn;
    };
    std::vector<torch::Tensor> relaidOut_;
    std::vector<Folded> folded_;
};

} // namespace dfq::models
