#include "models/InferenceLayout.h"

#include <torch/torch.h>

#include <map>

namespace dfq::models {

/// The folded weight and bias, computed once and handed to the conv each forward.
class InferenceLayout::FoldHook : public WeightInputHook {
public:
    FoldHook(torch::Tensor weight, torch::Tensor bias) : weight_(std::move(weight)), bias_(std::move(bias)) {}
    torch::Tensor weight(const torch::Tensor&) override { return weight_; }
    torch::Tensor bias(const torch::Tensor&) override { return bias_; }

private:
    torch::Tensor weight_, bias_;
};

InferenceLayout::InferenceLayout(ZooModelImpl& model, const InferenceLayoutOptions& options) {
    torch::NoGradGuard ng;
    if (options.channelsLast) {
        for (auto& p : model.parameters())
            if (p.dim() == 4 && !p.is_contiguous(torch::MemoryFormat::ChannelsLast)) {
                p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
                relaidOut_.push_back(p);
            }
    }
    if (!options.foldBatchNorm)
        return;
    std::map<std::string, Conv2d> convs;
    for (auto& l : model.quantLayers())
        if (l.isConv())
            convs.emplace(l.name, l.conv);
    for (auto& ref : model.bnLayers()) {
        const auto it = convs.find(ref.convName);
        if (it == convs.end() || it->second->hook || ref.bn->hook || !ref.bn->enabled)
            continue;
        Conv2dImpl& conv = *it->second;
        BatchNorm2dImpl& bn = *ref.bn;
        if (bn.channels() != conv.weight.size(0))
            continue;
        // In double, as quant::foldBatchNorms: γ/sqrt(var+eps) is large when var is tiny.
        const torch::Tensor var = bn.running_var.to(torch::kDouble), mean = bn.running_mean.to(torch::kDouble);
        const torch::Tensor gamma = bn.affine() ? bn.weight.to(torch::kDouble) : torch::ones_like(var);
        const torch::Tensor beta = bn.affine() ? bn.bias.to(torch::kDouble) : torch::zeros_like(var);
        const torch::Tensor s = gamma / torch::sqrt(var + bn.eps());
        if (!torch::isfinite(s).all().item<bool>() || !torch::isfinite(mean).all().item<bool>() ||
            s.abs().min().item<double>() < 1e-6)
            continue;
        const torch::Tensor b = conv.bias.defined() ? conv.bias.to(torch::kDouble) : torch::zeros_like(var);
        const auto format = conv.weight.suggest_memory_format();
        const torch::Tensor w = (conv.weight.to(torch::kDouble) * s.reshape({-1, 1, 1, 1}))
                                    .to(conv.weight.scalar_type())
                                    .contiguous(format);
        const torch::Tensor bias = (beta + (b - mean) * s).to(conv.weight.scalar_type());
        conv.hook = std::make_shared<FoldHook>(w, bias);
        bn.enabled = false;
        folded_.push_back({it->second, ref.bn});
    }
}

InferenceLayout::~InferenceLayout() {
    torch::NoGradGuard ng;
    for (auto& f : folded_) {
        if (dynamic_cast<FoldHook*>(f.conv->hook.get()))
            f.conv->hook = nullptr;
        f.bn->enabled = true;
    }
    for (auto& p : relaidOut_)
        p.set_data(p.contiguous());
}

} // namespace dfq::models
