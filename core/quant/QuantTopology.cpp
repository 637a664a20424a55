#include "quant/QuantTopology.h"

#include "models/ZooModel.h"

namespace dfq::quant {

QuantTopology quantTopology(models::ZooModelImpl& model) {
    QuantTopology t;
    t.arch = model.info().arch;
    for (auto& l : model.quantLayers())
        t.layers.push_back({l.name, l.isConv(), l.weightCount(), l.weight().size(0)});
    for (const auto& a : model.activations())
        t.activations.push_back(a.name);
    for (const auto& p : model.parameters())
        t.floatElements += p.numel();
    for (const auto& b : model.buffers())
        if (b.is_floating_point())
            t.floatElements += b.numel();
    return t;
}

} // namespace dfq::quant
