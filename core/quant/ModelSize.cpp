#include "quant/ModelSize.h"

namespace dfq::quant {

ModelSize modelSize(models::ZooModelImpl& model, const QuantSpec& spec) { return modelSize(quantTopology(model), spec); }

ModelSize modelSize(const QuantTopology& topology, const QuantSpec& spec) {
    ModelSize s;
    s.fp32Bits = topology.floatElements * 32;
    int64_t quantizedElements = 0;
    for (const auto& layer : topology.layers) {
        const LayerQuantSpec* ls = spec.findLayer(layer.name);
        if (!ls || !ls->weight.quantized())
            continue;
        quantizedElements += layer.weightElements;
        s.weightBits += layer.weightElements * ls->weight.bits;
        s.rangeBits += (ls->weight.perChannel ? layer.outChannels : 1) * 64;
    }
    s.floatBits = (topology.floatElements - quantizedElements) * 32;
    return s;
}

} // namespace dfq::quant
