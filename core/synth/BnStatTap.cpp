#include "synth/BnStatTap.h"

#include "synth/ChannelMoments.h"

#include <torch/torch.h>

namespace dfq::synth {

/// The hook placed on each BN: calls the hook that was there before (so a quantizer's observer keeps
/// working), then records into the tap's slot for that layer.
class BnStatTap::Hook : public models::BatchNormHook {
public:
    Hook(BnStatTap* tap, size_t index, std::shared_ptr<models::BatchNormHook> previous)
        : tap_(tap), index_(index), previous_(std::move(previous)) {}
    void observeInput(const torch::Tensor& x) override {
        if (previous_)
            previous_->observeInput(x);
        tap_->record(index_, x);
    }

private:
    BnStatTap* tap_;
    size_t index_;
    std::shared_ptr<models::BatchNormHook> previous_;
};

BnStatTap::BnStatTap(models::ZooModelImpl& model) : layers_(model.bnLayers()) {
    stats_.resize(layers_.size());
    previous_.resize(layers_.size());
    for (size_t i = 0; i < layers_.size(); ++i) {
        auto& bn = layers_[i].bn;
        stats_[i].name = layers_[i].name;
        stats_[i].runningMean = bn->running_mean;
        stats_[i].runningVar = bn->running_var;
        stats_[i].eps = bn->eps();
        previous_[i] = bn->hook;
        bn->hook = std::make_shared<Hook>(this, i, previous_[i]);
    }
}

BnStatTap::~BnStatTap() {
    for (size_t i = 0; i < layers_.size(); ++i) {
        auto& bn = layers_[i].bn;
        // Only undo our own hook: if someone replaced it meanwhile, theirs stays.
        if (dynamic_cast<Hook*>(bn->hook.get()))
            bn->hook = previous_[i];
    }
}

void BnStatTap::record(size_t index, const torch::Tensor& x) {
    if (!enabled_)
        return;
    TORCH_CHECK(x.dim() == 4, "BnStatTap: BN input must be [N,C,H,W], got ", x.sizes());
    auto& s = stats_[index];
    // One pass over the activation for the per-sample statistics; the batch statistics follow from
    // them exactly (every sample has H*W elements): mean_b = mean_n(mean_n),
    // var_b = mean_n(var_n) + var_n(mean_n) (law of total variance, both terms >= 0, no cancellation).
    auto [mean, var] = channelMoments(x);
    const auto& bn = layers_[index].bn;
    if (!bn->enabled) {
        // The BN is folded into its conv (FrozenTeacher, quant::foldBatchNorms): what arrives here is
        // already BN(x) = s·x + (β − μ·s), s = γ / sqrt(running_var + eps). Map the statistics back to
        // those of x, the BN input the losses are defined on.
        const torch::Tensor rv = bn->running_var.to(mean.scalar_type());
        const torch::Tensor rm = bn->running_mean.to(mean.scalar_type());
        torch::Tensor scale = torch::rsqrt(rv + bn->eps());
        torch::Tensor shift = torch::zeros_like(rm);
        if (bn->affine()) {
            scale = scale * bn->weight.detach().to(mean.scalar_type());
            shift = bn->bias.detach().to(mean.scalar_type());
        }
        mean = (mean - shift) / scale + rm;
        var = var / (scale * scale);
    }
    s.sampleMean = mean;
    s.sampleVar = var;
    s.batchMean = mean.mean(0);
    s.batchVar = var.mean(0) + mean.var(0, /*unbiased=*/false);
    // Re-read the buffers: a checkpoint load may have replaced the tensors since the tap was made.
    s.runningMean = layers_[index].bn->running_mean;
    s.runningVar = layers_[index].bn->running_var;
}

void BnStatTap::clear() {
    for (auto& s : stats_) {
        s.sampleMean = s.sampleVar = s.batchMean = s.batchVar = torch::Tensor();
    }
}

void BnStatTap::detach() {
    for (auto& s : stats_) {
        if (!s.recorded())
            continue;
        s.sampleMean = s.sampleMean.detach();
        s.sampleVar = s.sampleVar.detach();
        s.batchMean = s.batchMean.detach();
        s.batchVar = s.batchVar.detach();
    }
}

} // namespace dfq::synth
