#include "metrics/ModelFlops.h"

#include <torch/torch.h>

namespace dfq::metrics {

namespace {
// Records the input shape, forwards to the hook that was there before (if any).
class ShapeProbe : public models::WeightInputHook {
public:
    explicit ShapeProbe(std::shared_ptr<models::WeightInputHook> inner) : inner_(std::move(inner)) {}
    torch::Tensor weight(const torch::Tensor& w) override { return inner_ ? inner_->weight(w) : w; }
    torch::Tensor bias(const torch::Tensor& b) override { return inner_ ? inner_->bias(b) : b; }
    torch::Tensor input(const torch::Tensor& x) override {
        shape = x.sizes().vec();
        return inner_ ? inner_->input(x) : x;
    }
    std::vector<int64_t> shape;
    std::shared_ptr<models::WeightInputHook> inner_;
};

int64_t outSize(int64_t in, const models::Conv2dOptions& o) {
    return (in + 2 * o.padding - o.dilation * (o.kernel - 1) - 1) / o.stride + 1;
}
} // namespace

ModelMacs countMacs(models::ZooModelImpl& model) {
    auto layers = model.quantLayers();
    std::vector<std::shared_ptr<ShapeProbe>> probes;
    for (auto& l : layers) {
        probes.push_back(std::make_shared<ShapeProbe>(l.hook()));
        l.hook() = probes.back();
    }
    const bool wasTraining = model.is_training();
    model.eval();
    const auto& info = model.info();
    try {
        torch::NoGradGuard ng;
        model.forward(torch::zeros({1, info.inChannels, info.inHeight, info.inWidth}));
    } catch (...) {
        for (size_t i = 0; i < layers.size(); ++i)
            layers[i].hook() = probes[i]->inner_;
        model.train(wasTraining);
        throw;
    }
    model.train(wasTraining);
    ModelMacs r;
    for (size_t i = 0; i < layers.size(); ++i) {
        auto& l = layers[i];
        l.hook() = probes[i]->inner_;
        const auto& s = probes[i]->shape;
        int64_t macs = 0;
        if (l.isConv() && s.size() == 4) {
            const auto& o = l.conv->options();
            macs = o.out * outSize(s[2], o) * outSize(s[3], o) * (o.in / o.groups) * o.kernel * o.kernel;
        } else if (!l.isConv() && !s.empty()) {
            macs = l.linear->inFeatures() * l.linear->outFeatures();
        }
        r.layers.push_back({l.name, macs});
        r.macs += macs;
    }
    return r;
}

} // namespace dfq::metrics
