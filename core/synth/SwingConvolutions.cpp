#include "synth/SwingConvolutions.h"

#include <torch/torch.h>

namespace dfq::synth {

class SwingConvolutions::Hook : public models::WeightInputHook {
public:
    Hook(SwingConvolutions* owner, std::shared_ptr<models::WeightInputHook> previous)
        : owner_(owner), previous_(std::move(previous)) {}
    torch::Tensor weight(const torch::Tensor& w) override { return previous_ ? previous_->weight(w) : w; }
    torch::Tensor bias(const torch::Tensor& b) override { return previous_ ? previous_->bias(b) : b; }
    torch::Tensor input(const torch::Tensor& x) override {
        const int64_t j = owner_->jitter_;
        std::uniform_int_distribution<int64_t> offset(0, 2 * j);
        const int64_t top = offset(owner_->rng_), left = offset(owner_->rng_);
        namespace F = torch::nn::functional;
        const torch::Tensor padded = F::pad(x, F::PadFuncOptions({j, j, j, j}).mode(torch::kReflect));
        const torch::Tensor shifted = padded.narrow(2, top, x.size(2)).narrow(3, left, x.size(3));
        return previous_ ? previous_->input(shifted) : shifted;
    }

private:
    SwingConvolutions* owner_;
    std::shared_ptr<models::WeightInputHook> previous_;
};

SwingConvolutions::SwingConvolutions(models::ZooModelImpl& model, int64_t jitter, uint64_t seed)
    : rng_(seed), jitter_(jitter) {
    TORCH_CHECK(jitter >= 0, "SwingConvolutions: jitter must be >= 0, got ", jitter);
    if (jitter == 0)
        return;
    for (auto& layer : model.quantLayers()) {
        if (!layer.isConv() || layer.conv->options().stride <= 1)
            continue;
        convs_.push_back(layer.conv);
        previous_.push_back(layer.conv->hook);
        layer.conv->hook = std::make_shared<Hook>(this, layer.conv->hook);
    }
}

SwingConvolutions::~SwingConvolutions() {
    for (size_t i = 0; i < convs_.size(); ++i)
        if (dynamic_cast<Hook*>(convs_[i]->hook.get()))   // someone else's replacement stays
            convs_[i]->hook = previous_[i];
}

} // namespace dfq::synth
