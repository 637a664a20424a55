#include "models/ZooModel.h"
#include "models/ModelError.h"

namespace dfq::models {

void ZooModelImpl::describe(ForwardGraph&) {
    throw ModelError("architecture '" + info_.arch + "' cannot be described as a graph (no describe())");
}

std::vector<QuantLayerRef> ZooModelImpl::quantLayers() {
    std::vector<QuantLayerRef> out;
    for (const auto& item : named_modules("", /*include_self=*/false)) {
        if (auto c = std::dynamic_pointer_cast<Conv2dImpl>(item.value())) {
            QuantLayerRef r;
            r.name = item.key();
            r.conv = Conv2d(c);
            out.push_back(std::move(r));
        } else if (auto l = std::dynamic_pointer_cast<LinearImpl>(item.value())) {
            QuantLayerRef r;
            r.name = item.key();
            r.linear = Linear(l);
            out.push_back(std::move(r));
        }
    }
    return out;
}

std::vector<BatchNormRef> ZooModelImpl::bnLayers() {
    std::vector<BatchNormRef> out;
    std::string lastConv;
    for (const auto& item : named_modules("", false)) {
        if (std::dynamic_pointer_cast<Conv2dImpl>(item.value())) {
            lastConv = item.key();
        } else if (auto b = std::dynamic_pointer_cast<BatchNorm2dImpl>(item.value())) {
            // Registration order is forward order, so the BN right after a conv normalises that conv.
            out.push_back({item.key(), BatchNorm2d(b), lastConv});
            lastConv.clear();
        } else if (std::dynamic_pointer_cast<LinearImpl>(item.value())) {
            lastConv.clear();
        }
    }
    return out;
}

std::vector<ActivationRef> ZooModelImpl::activations() {
    std::vector<ActivationRef> out;
    for (const auto& item : named_modules("", false))
        if (auto a = std::dynamic_pointer_cast<ActivationImpl>(item.value()))
            out.push_back({item.key(), Activation(a)});
    return out;
}

int64_t ZooModelImpl::parameterCount() const {
    int64_t n = 0;
    for (const auto& p : parameters())
        n += p.numel();
    return n;
}

} // namespace dfq::models
