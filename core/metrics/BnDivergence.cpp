#include "metrics/BnDivergence.h"

#include <torch/torch.h>

#include <stdexcept>

namespace dfq::metrics {

torch::Tensor gaussianKl(const torch::Tensor& mu1, const torch::Tensor& var1, const torch::Tensor& mu2,
                         const torch::Tensor& var2) {
    return 0.5 * (torch::log(var2 / var1) + (var1 + (mu1 - mu2).pow(2)) / var2 - 1.0);
}

LayerDivergence layerDivergence(const std::string& name, const torch::Tensor& batchMean,
                                const torch::Tensor& batchVar, const torch::Tensor& runningMean,
                                const torch::Tensor& runningVar, double eps) {
    torch::NoGradGuard ng;
    // Double precision: KL of nearly equal Gaussians is a difference of nearly equal terms.
    const auto d = torch::kFloat64;
    const torch::Tensor mb = batchMean.detach().to(d), vb = batchVar.detach().to(d) + eps;
    const torch::Tensor mr = runningMean.detach().to(d), vr = runningVar.detach().to(d) + eps;
    LayerDivergence out;
    out.name = name;
    out.meanL2 = (mb - mr).norm().item<double>();
    out.stdL2 = (torch::sqrt(vb) - torch::sqrt(vr)).norm().item<double>();
    out.kl = gaussianKl(mb, vb, mr, vr).mean().item<double>();
    return out;
}

LayerDivergence meanDivergence(const std::vector<LayerDivergence>& layers) {
    LayerDivergence m;
    m.name = "mean";
    if (layers.empty())
        return m;
    for (const auto& l : layers) {
        m.meanL2 += l.meanL2;
        m.stdL2 += l.stdL2;
        m.kl += l.kl;
    }
    const double n = double(layers.size());
    m.meanL2 /= n;
    m.stdL2 /= n;
    m.kl /= n;
    return m;
}

namespace {

/// Running per-channel count/mean/M2 (Chan et al.'s parallel merge), fed one BN input at a time.
struct ChannelMoments {
    double count = 0;
    torch::Tensor mean, m2;   // [C] float64
    void add(const torch::Tensor& x) {
        const torch::Tensor xd = x.detach().to(torch::kFloat64);
        const double n = double(xd.numel() / xd.size(1));
        auto [var, mu] = at::var_mean(xd, {0, 2, 3}, /*unbiased=*/false, /*keepdim=*/false);
        const torch::Tensor m2b = var * n;
        if (count == 0) {
            mean = mu;
            m2 = m2b;
        } else {
            const torch::Tensor delta = mu - mean;
            const double total = count + n;
            mean = mean + delta * (n / total);
            m2 = m2 + m2b + delta.pow(2) * (count * n / total);
        }
        count += n;
    }
};

class MomentHook : public models::BatchNormHook {
public:
    explicit MomentHook(std::shared_ptr<models::BatchNormHook> previous) : previous_(std::move(previous)) {}
    void observeInput(const torch::Tensor& x) override {
        if (previous_)
            previous_->observeInput(x);
        moments.add(x);
    }
    ChannelMoments moments;

private:
    std::shared_ptr<models::BatchNormHook> previous_;
};

} // namespace

std::vector<LayerDivergence> bnDivergence(models::ZooModelImpl& model, const torch::Tensor& images,
                                          int64_t batchSize) {
    if (images.dim() != 4)
        throw std::invalid_argument("bnDivergence: images must be [N,C,H,W]");
    auto layers = model.bnLayers();
    std::vector<std::shared_ptr<models::BatchNormHook>> previous;
    std::vector<std::shared_ptr<MomentHook>> hooks;
    for (auto& l : layers) {
        previous.push_back(l.bn->hook);
        hooks.push_back(std::make_shared<MomentHook>(l.bn->hook));
        l.bn->hook = hooks.back();
    }
    const bool wasTraining = model.is_training();
    auto restore = [&] {
        for (size_t i = 0; i < layers.size(); ++i)
            layers[i].bn->hook = previous[i];
        model.train(wasTraining);
    };
    try {
        torch::NoGradGuard ng;
        model.eval();
        const int64_t n = images.size(0), bs = std::max<int64_t>(1, batchSize);
        for (int64_t i = 0; i < n; i += bs)
            model.forward(images.slice(0, i, std::min(n, i + bs)));
    } catch (...) {
        restore();
        throw;
    }
    restore();

    std::vector<LayerDivergence> out;
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& m = hooks[i]->moments;
        if (m.count == 0)
            continue;   // a BN the forward never reached (does not happen in the zoo)
        out.push_back(layerDivergence(layers[i].name, m.mean, m.m2 / m.count, layers[i].bn->running_mean,
                                      layers[i].bn->running_var, layers[i].bn->eps()));
    }
    return out;
}

} // namespace dfq::metrics
