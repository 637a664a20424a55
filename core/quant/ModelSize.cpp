#include "quant/ModelSize.h"

#include <torch/torch.h>

namespace dfq::quant {

ModelSize modelSize(models::ZooModelImpl& model, const QuantSpec& spec) {
    ModelSize s;
    int64_t allElements = 0;
    for (const auto& p : model.parameters())
        allElements += p.numel();
    for (const auto& b : model.buffers())
        if (b.is_floating_point())   // BN's num_batches_tracked is bookkeeping, not model data
            allElements += b.numel();
    s.fp32Bits = allElements * 32;

    int64_t quantizedElements = 0;
    for (auto& layer : model.quantLayers()) {
        const LayerQuantSpec* ls = spec.findLayer(layer.name);
        if (!ls || !ls->weight.quantized())
            continue;
        const int64_t n = layer.weightCount();
        quantizedElements += n;
        s.weightBits += n * ls->weight.bits;
        const int64_t ranges = ls->weight.perChannel ? layer.weight().size(0) : 1;
        s.rangeBits += ranges * 64;
    }
    s.floatBits = (allElements - quantizedElements) * 32;
    return s;
}

} // namespace dfq::quant
