#include "quant/QuantSpec.h"

#include "models/ZooModel.h"

#include "quant/Observers.h"
#include "quant/QuantError.h"

#include <iomanip>
#include <set>
#include <sstream>

namespace dfq::quant {

std::string placementName(LayerPlacement p) {
    switch (p) {
    case LayerPlacement::Gdfq: return "gdfq";
    case LayerPlacement::F8L8: return "f8l8";
    case LayerPlacement::AllInputs: return "all-inputs";
    }
    return "?";
}

std::vector<std::string> placementNames() { return {"gdfq", "f8l8", "all-inputs"}; }

LayerPlacement parsePlacement(const std::string& name) {
    for (auto p : {LayerPlacement::Gdfq, LayerPlacement::F8L8, LayerPlacement::AllInputs})
        if (placementName(p) == name)
            return p;
    throw QuantError("unknown layer placement '" + name + "' (known: gdfq, f8l8, all-inputs)");
}

ObserverConfig TensorQuantSpec::effectiveObserverConfig() const {
    ObserverConfig c = observerConfig;
    c.perChannel = perChannel;
    c.bits = quantized() ? bits : 8;
    c.symmetric = symmetric;
    return c;
}

void validateBits(int bits, const std::string& where) {
    if (bits == kFloatBits || (bits >= 2 && bits <= 8))
        return;
    throw QuantError(where + ": bits must be in 2..8 (or 32 = float), got " + std::to_string(bits));
}

namespace {

TensorQuantSpec tensorSpec(int bits, bool perChannel, bool symmetric, const std::string& observer,
                           const ObserverConfig& cfg) {
    TensorQuantSpec t;
    t.bits = bits;
    t.perChannel = perChannel;
    t.symmetric = symmetric;
    t.observer = observer;
    t.observerConfig = cfg;
    t.observerConfig = t.effectiveObserverConfig();
    return t;
}

void validateTensor(const TensorQuantSpec& t, const std::string& where, bool allowPerChannel) {
    validateBits(t.bits, where);
    if (!t.quantized())
        return;
    if (!hasObserver(t.observer))
        makeObserver(t.observer); // throws with the list of known names
    if (t.perChannel && !allowPerChannel)
        throw QuantError(where + ": per-channel ranges are only supported for weights");
}

} // namespace

QuantSpec buildQuantSpec(models::ZooModelImpl& model, LayerPlacement placement, int wbits, int abits,
                         const QuantOptions& o) {
    return buildQuantSpec(quantTopology(model), placement, wbits, abits, o);
}

QuantSpec buildQuantSpec(const QuantTopology& topology, LayerPlacement placement, int wbits, int abits,
                         const QuantOptions& o) {
    validateBits(wbits, "weight bits");
    validateBits(abits, "activation bits");
    if (o.firstLastBits != 0)
        validateBits(o.firstLastBits, "first/last layer bits");
    QuantSpec s;
    s.arch = topology.arch;
    s.placement = placement;
    s.weightBits = wbits;
    s.activationBits = abits;
    s.foldBn = o.foldBn;

    const int edgeBits = o.firstLastBits != 0 ? o.firstLastBits : placement == LayerPlacement::F8L8 ? 8 : 0;
    const auto& layers = topology.layers;
    for (size_t i = 0; i < layers.size(); ++i) {
        const bool edge = edgeBits != 0 && (i == 0 || i + 1 == layers.size());
        LayerQuantSpec l;
        l.name = layers[i].name;
        l.kind = layers[i].conv ? "conv" : "linear";
        l.weight = tensorSpec(edge ? edgeBits : wbits, o.perChannelWeights, o.symmetricWeights, o.weightObserver,
                              o.weightObserverConfig);
        const int inBits = placement == LayerPlacement::AllInputs ? (edge ? edgeBits : abits) : kFloatBits;
        l.input = tensorSpec(inBits, false, o.symmetricActivations, o.activationObserver, o.activationObserverConfig);
        s.layers.push_back(std::move(l));
    }
    if (placement != LayerPlacement::AllInputs && abits != kFloatBits) {
        const auto& acts = topology.activations;
        for (size_t i = 0; i < acts.size(); ++i) {
            // The last activation feeds the classifier (through global pooling) in every zoo model.
            const bool last = edgeBits != 0 && i + 1 == acts.size();
            s.activations.push_back({acts[i], tensorSpec(last ? edgeBits : abits, false, o.symmetricActivations,
                                                              o.activationObserver, o.activationObserverConfig)});
        }
    }
    validateQuantSpec(s, topology);
    return s;
}

void validateQuantSpec(const QuantSpec& spec, models::ZooModelImpl& model) {
    validateQuantSpec(spec, quantTopology(model));
}

void validateQuantSpec(const QuantSpec& spec, const QuantTopology& topology) {
    std::set<std::string> convs, linears, acts, seen;
    for (const auto& l : topology.layers)
        (l.conv ? convs : linears).insert(l.name);
    for (const auto& a : topology.activations)
        acts.insert(a);
    const std::string& arch = topology.arch;
    for (const auto& l : spec.layers) {
        if (!convs.count(l.name) && !linears.count(l.name))
            throw QuantError("quant spec names layer '" + l.name + "', which " + arch +
                             " does not have (no Conv2d/Linear of that name)");
        if (!seen.insert("L:" + l.name).second)
            throw QuantError("quant spec lists layer '" + l.name + "' twice");
        validateTensor(l.weight, "layer '" + l.name + "' weight", true);
        validateTensor(l.input, "layer '" + l.name + "' input", false);
    }
    for (const auto& a : spec.activations) {
        if (!acts.count(a.name))
            throw QuantError("quant spec names activation '" + a.name + "', which " + arch +
                             " does not have (no ReLU/ReLU6 of that name)");
        if (!seen.insert("A:" + a.name).second)
            throw QuantError("quant spec lists activation '" + a.name + "' twice");
        validateTensor(a.output, "activation '" + a.name + "'", false);
    }
}

const LayerQuantSpec* QuantSpec::findLayer(const std::string& name) const {
    for (const auto& l : layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

const ActivationQuantSpec* QuantSpec::findActivation(const std::string& name) const {
    for (const auto& a : activations)
        if (a.name == name)
            return &a;
    return nullptr;
}

std::string QuantSpec::label() const {
    auto b = [](int bits) { return bits == kFloatBits ? std::string("32") : std::to_string(bits); };
    std::string s = "W" + b(weightBits) + "A" + b(activationBits) + " " + placementName(placement);
    if (foldBn)
        s += " folded-BN";
    return s;
}

// ---- JSON --------------------------------------------------------------------------------------

namespace {

nlohmann::json tensorJson(const TensorQuantSpec& t) {
    if (!t.quantized())
        return {{"bits", t.bits}};
    const ObserverConfig& c = t.observerConfig;
    nlohmann::json cfg = {{"ema_beta", c.emaBeta},   {"percentile", c.percentile}, {"lp_norm", c.lpNorm},
                          {"grid_steps", c.gridSteps}, {"max_samples", c.maxSamples}};
    return {{"bits", t.bits},
            {"per_channel", t.perChannel},
            {"symmetric", t.symmetric},
            {"observer", t.observer},
            {"observer_config", cfg}};
}

TensorQuantSpec tensorFromJson(const nlohmann::json& j) {
    TensorQuantSpec t;
    t.bits = j.at("bits").get<int>();
    t.perChannel = j.value("per_channel", false);
    t.symmetric = j.value("symmetric", false);
    t.observer = j.value("observer", std::string("minmax"));
    if (j.contains("observer_config")) {
        const auto& c = j.at("observer_config");
        t.observerConfig.emaBeta = c.value("ema_beta", t.observerConfig.emaBeta);
        t.observerConfig.percentile = c.value("percentile", t.observerConfig.percentile);
        t.observerConfig.lpNorm = c.value("lp_norm", t.observerConfig.lpNorm);
        t.observerConfig.gridSteps = c.value("grid_steps", t.observerConfig.gridSteps);
        t.observerConfig.maxSamples = c.value("max_samples", t.observerConfig.maxSamples);
    }
    t.observerConfig = t.effectiveObserverConfig();
    return t;
}

std::string tensorText(const TensorQuantSpec& t) {
    if (!t.quantized())
        return "fp32";
    std::ostringstream os;
    os << t.bits << "b " << (t.perChannel ? "per-channel" : "per-tensor") << ' '
       << (t.symmetric ? "sym" : "asym") << ' ' << t.observer;
    return os.str();
}

} // namespace

nlohmann::json QuantSpec::toJson() const {
    nlohmann::json ls = nlohmann::json::array(), as = nlohmann::json::array();
    for (const auto& l : layers)
        ls.push_back({{"name", l.name}, {"kind", l.kind}, {"weight", tensorJson(l.weight)}, {"input", tensorJson(l.input)}});
    for (const auto& a : activations)
        as.push_back({{"name", a.name}, {"output", tensorJson(a.output)}});
    return {{"arch", arch},
            {"label", label()},
            {"placement", placementName(placement)},
            {"weight_bits", weightBits},
            {"activation_bits", activationBits},
            {"fold_bn", foldBn},
            {"layers", ls},
            {"activations", as}};
}

QuantSpec QuantSpec::fromJson(const nlohmann::json& j) {
    try {
        QuantSpec s;
        s.arch = j.value("arch", std::string());
        s.placement = parsePlacement(j.at("placement").get<std::string>());
        s.weightBits = j.at("weight_bits").get<int>();
        s.activationBits = j.at("activation_bits").get<int>();
        s.foldBn = j.value("fold_bn", false);
        for (const auto& l : j.at("layers"))
            s.layers.push_back({l.at("name").get<std::string>(), l.value("kind", std::string()),
                                tensorFromJson(l.at("weight")), tensorFromJson(l.at("input"))});
        for (const auto& a : j.at("activations"))
            s.activations.push_back({a.at("name").get<std::string>(), tensorFromJson(a.at("output"))});
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw QuantError(std::string("malformed quant spec JSON: ") + e.what());
    }
}

std::string QuantSpec::describe() const {
    std::ostringstream os;
    os << label() << " (" << (arch.empty() ? "?" : arch) << "), BN " << (foldBn ? "folded" : "kept") << '\n';
    os << std::left << std::setw(28) << "layer" << std::setw(8) << "kind" << std::setw(32) << "weight"
       << "input\n";
    for (const auto& l : layers)
        os << std::setw(28) << l.name << std::setw(8) << l.kind << std::setw(32) << tensorText(l.weight)
           << tensorText(l.input) << '\n';
    if (!activations.empty()) {
        os << std::setw(28) << "activation" << "output\n";
        for (const auto& a : activations)
            os << std::setw(28) << a.name << tensorText(a.output) << '\n';
    }
    return os.str();
}

} // namespace dfq::quant
