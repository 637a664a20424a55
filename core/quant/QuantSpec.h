#pragma once
// What gets quantized, where, and how: one entry per quantizable layer (Conv2d / Linear weight and,
// optionally, its input) and one per activation quantizer (on a ReLU/ReLU6 output). Built from a
// placement preset, stored with every result (toJson) so a number always says exactly what was
// quantized (methods.md §8.1: "W4A4" means different things in different papers).
#include "quant/ObserverConfig.h"
#include "quant/QuantTopology.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace dfq::quant {

/// Bits 2..8 quantize; kFloatBits (32) means "stays float" (no quantizer).
constexpr int kFloatBits = 32;

/// Where the quantizers sit.
enum class LayerPlacement {
    /// GDFQ family (§0): every Conv2d/Linear weight at wbits, first conv and last linear included;
    /// an activation quantizer (abits, per tensor) after every ReLU/ReLU6, on the Activation hooks;
    /// layer inputs are not quantized, so the network input, residual sums and MobileNetV2's linear
    /// bottleneck outputs stay FP32.
    Gdfq,
    /// As Gdfq, but the first conv and last linear weights at 8 bits, and the activation feeding the
    /// last layer (the last Activation in forward order, before global pooling) at 8 bits
    /// (FDDA's "F8L8", BRECQ/Genie's stem and head).
    F8L8,
    /// Every Conv2d/Linear input quantized (abits) via WeightInputHook::input, as integer runtimes
    /// do, the network input included; no activation hooks. Inputs may be signed (first layer,
    /// residual sums), so they use the activation layout (asymmetric by default).
    AllInputs,
};
std::string placementName(LayerPlacement p);          ///< "gdfq", "f8l8", "all-inputs"
LayerPlacement parsePlacement(const std::string& name); ///< throws QuantError listing the names
std::vector<std::string> placementNames();

/// One quantizer: bit width, layout, and the observer that chooses its range.
struct TensorQuantSpec {
    int bits = kFloatBits;           ///< 2..8, or 32 = not quantized
    bool perChannel = false;         ///< along dim 0 (weights only)
    bool symmetric = false;          ///< see FakeQuantize.h for the three layouts
    std::string observer = "minmax"; ///< registry name (Observers.h)
    ObserverConfig observerConfig;   ///< β, percentile, p, ... (perChannel/bits/symmetric are synced)
    bool quantized() const { return bits != kFloatBits; }
    /// observerConfig with perChannel/bits/symmetric taken from this spec.
    ObserverConfig effectiveObserverConfig() const;
};

/// A Conv2d or Linear: its weight, and its input (quantized only under AllInputs).
struct LayerQuantSpec {
    std::string name;                ///< module path, e.g. "layer1.0.conv1", "linear"
    std::string kind;                ///< "conv" or "linear"
    TensorQuantSpec weight;
    TensorQuantSpec input;
};

/// A ReLU/ReLU6 whose output is quantized (per tensor).
struct ActivationQuantSpec {
    std::string name;                ///< module path, e.g. "layer1.0.relu1"
    TensorQuantSpec output;
};

/// Knobs of buildQuantSpec beyond placement and bit widths.
struct QuantOptions {
    bool perChannelWeights = true;       ///< GDFQ: per output channel
    bool symmetricWeights = false;       ///< GDFQ: asymmetric
    bool symmetricActivations = false;   ///< GDFQ: asymmetric
    std::string weightObserver = "minmax";
    std::string activationObserver = "ema";
    ObserverConfig weightObserverConfig;                       ///< Lp p = 2.0
    ObserverConfig activationObserverConfig = [] { ObserverConfig c; c.lpNorm = 2.4; return c; }();
    /// Bits for the first conv / last linear weights and the activation (or input) feeding the last
    /// layer; 0 = placement default (8 under F8L8, wbits/abits otherwise). Under AllInputs it also
    /// sets the first layer's input (the network input).
    int firstLastBits = 0;
    /// Fold every BN into the conv before it (deployment) instead of keeping it (GDFQ: unfolded).
    bool foldBn = false;
};

struct QuantSpec {
    std::string arch;                             ///< model the spec was built for
    LayerPlacement placement = LayerPlacement::Gdfq;
    int weightBits = 8, activationBits = 8;       ///< nominal "WkAk" (first/last may differ)
    bool foldBn = false;
    std::vector<LayerQuantSpec> layers;           ///< forward order; every Conv2d/Linear when built
    std::vector<ActivationQuantSpec> activations; ///< forward order; only quantized sites

    const LayerQuantSpec* findLayer(const std::string& name) const;
    const ActivationQuantSpec* findActivation(const std::string& name) const;
    /// e.g. "W4A4 gdfq" or "W4A4 f8l8 folded-BN".
    std::string label() const;
    /// Every layer and activation with bits, granularity, layout and observer.
    nlohmann::json toJson() const;
    static QuantSpec fromJson(const nlohmann::json& j); ///< throws QuantError on a malformed document
    /// A fixed-width table, one line per quantizer (for logs and the CLI).
    std::string describe() const;
};

/// The full spec for a model. wbits/abits in 2..8 or 32. Throws QuantError on bad bits or an
/// unknown observer.
QuantSpec buildQuantSpec(models::ZooModelImpl& model, LayerPlacement placement, int wbits, int abits,
                         const QuantOptions& options = {});
/// The same from the model's structure alone (identical result for quantTopology(model)).
QuantSpec buildQuantSpec(const QuantTopology& topology, LayerPlacement placement, int wbits, int abits,
                         const QuantOptions& options = {});

/// Throws QuantError naming the layer when bits are outside 2..8 (and not 32), an observer is
/// unknown, an activation/input quantizer asks for per-channel ranges, a name appears twice, or a
/// name is not a Conv2d/Linear (layers) or Activation (activations) of the model.
void validateQuantSpec(const QuantSpec& spec, models::ZooModelImpl& model);
void validateQuantSpec(const QuantSpec& spec, const QuantTopology& topology);
/// Throws QuantError("<where>: ...") unless bits is in 2..8 or 32.
void validateBits(int bits, const std::string& where);

} // namespace dfq::quant
