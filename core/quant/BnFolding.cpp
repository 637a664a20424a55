#include "quant/BnFolding.h"

#include "quant/QuantError.h"
#include "quant/TensorQuantizer.h"

#include <torch/torch.h>

#include <map>

namespace dfq::quant {

FoldReport foldBatchNorms(models::ZooModelImpl& model) {
    FoldReport report;
    std::map<std::string, std::shared_ptr<models::Conv2dImpl>> convs;
    for (auto& l : model.quantLayers())
        if (l.isConv())
            convs[l.name] = l.conv.ptr();
    torch::NoGradGuard ng;
    for (auto& ref : model.bnLayers()) {
        auto it = convs.find(ref.convName);
        if (ref.convName.empty() || it == convs.end() || !ref.bn->enabled) {
            report.skipped.push_back(ref.name);
            continue;
        }
        models::Conv2dImpl& conv = *it->second;
        models::BatchNorm2dImpl& bn = *ref.bn;
        const int64_t out = conv.weight.size(0);
        if (bn.channels() != out)
            throw QuantError("cannot fold BN '" + ref.name + "' (" + std::to_string(bn.channels()) +
                             " channels) into conv '" + ref.convName + "' (" + std::to_string(out) +
                             " output channels)");
        requireFinite(bn.running_mean, "running_mean of BN", ref.name);
        requireFinite(bn.running_var, "running_var of BN", ref.name);
        // Fold in double: the scale γ/sqrt(var+eps) can be large when var is tiny.
        const torch::Tensor var = bn.running_var.to(torch::kDouble);
        const torch::Tensor mean = bn.running_mean.to(torch::kDouble);
        const torch::Tensor gamma = bn.affine() ? bn.weight.to(torch::kDouble) : torch::ones_like(var);
        const torch::Tensor beta = bn.affine() ? bn.bias.to(torch::kDouble) : torch::zeros_like(var);
        const torch::Tensor s = gamma / torch::sqrt(var + bn.eps());
        const torch::Tensor b = conv.bias.defined() ? conv.bias.to(torch::kDouble) : torch::zeros_like(var);
        const torch::Tensor w = conv.weight.to(torch::kDouble) * s.reshape({out, 1, 1, 1});
        const torch::Tensor bias = beta + (b - mean) * s;
        conv.weight.copy_(w.to(conv.weight.scalar_type()));
        if (conv.bias.defined())
            conv.bias.copy_(bias.to(conv.bias.scalar_type()));
        else
            conv.bias = conv.register_parameter("bias", bias.to(conv.weight.scalar_type()).contiguous());
        bn.enabled = false;
        report.folded.emplace_back(ref.name, ref.convName);
    }
    return report;
}

} // namespace dfq::quant
