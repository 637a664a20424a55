#include "quant/LayerInputCapture.h"

#include <torch/torch.h>

#include <vector>

namespace dfq::quant {

namespace {
/// Delegates to the layer's hook (if any) and records the raw layer input.
class CaptureHook : public models::WeightInputHook {
public:
    explicit CaptureHook(std::shared_ptr<models::WeightInputHook> inner) : inner_(std::move(inner)) {}
    torch::Tensor weight(const torch::Tensor& w) override { return inner_ ? inner_->weight(w) : w; }
    torch::Tensor bias(const torch::Tensor& b) override { return inner_ ? inner_->bias(b) : b; }
    torch::Tensor input(const torch::Tensor& x) override {
        captured.push_back(x.detach());
        return inner_ ? inner_->input(x) : x;
    }
    std::vector<torch::Tensor> captured;

private:
    std::shared_ptr<models::WeightInputHook> inner_;
};
} // namespace

torch::Tensor captureLayerInput(models::ZooModel& model, models::QuantLayerRef& ref, const torch::Tensor& images) {
    constexpr int64_t kChunk = 256;
    torch::NoGradGuard ng;
    auto inner = ref.hook();
    auto cap = std::make_shared<CaptureHook>(inner);
    ref.hook() = cap;
    try {
        for (int64_t s = 0; s < images.size(0); s += kChunk)
            model->forward(images.narrow(0, s, std::min(kChunk, images.size(0) - s)));
    } catch (...) {
        ref.hook() = inner;
        throw;
    }
    ref.hook() = inner;
    return torch::cat(cap->captured, 0);
}

} // namespace dfq::quant
