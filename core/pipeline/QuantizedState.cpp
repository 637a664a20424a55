#include "pipeline/QuantizedState.h"

#include "pipeline/PipelineError.h"
#include "quant/AdaRound.h"

#include <torch/serialize.h>

namespace dfq::pipeline {
namespace {

using Dict = c10::Dict<std::string, at::Tensor>;

void putParams(Dict& d, const std::string& key, const quant::TensorQuantizer& q) {
    if (!q.enabled() || !q.frozen())
        return;
    const auto& p = q.params();
    d.insert(key + ".scale", p.scale.detach().clone());
    d.insert(key + ".zero_point", p.zeroPoint.detach().clone());
    d.insert(key + ".meta", torch::tensor({p.qmin, p.qmax, int64_t(p.bits), int64_t(p.scheme)}, torch::kLong));
}

at::Tensor need(const Dict& d, const std::string& key) {
    if (!d.contains(key))
        throw PipelineError("quantized checkpoint: '" + key + "' is missing");
    return d.at(key);
}

void takeParams(const Dict& d, const std::string& key, quant::TensorQuantizer& q) {
    if (!q.enabled() || !d.contains(key + ".meta"))
        return;
    quant::QuantParams p;
    p.scale = need(d, key + ".scale").clone();
    p.zeroPoint = need(d, key + ".zero_point").clone();
    const auto meta = need(d, key + ".meta");
    p.qmin = meta[0].item<int64_t>();
    p.qmax = meta[1].item<int64_t>();
    p.bits = int(meta[2].item<int64_t>());
    p.scheme = quant::QuantScheme(meta[3].item<int64_t>());
    q.setParams(p);
}

void copyInto(torch::Tensor& dst, const at::Tensor& src, const std::string& key) {
    if (dst.sizes() != src.sizes())
        throw PipelineError("quantized checkpoint: '" + key + "' has another shape than the model's");
    dst.copy_(src);
}

} // namespace

std::string saveQuantizedState(quant::QuantizedModel& qm) {
    torch::NoGradGuard ng;
    Dict d;
    auto& model = *qm.model();
    for (const auto& p : model.named_parameters())
        d.insert("param." + p.key(), p.value().detach().clone());
    for (const auto& b : model.named_buffers())
        d.insert("buffer." + b.key(), b.value().detach().clone());
    for (const auto& name : qm.layerNames()) {
        auto* h = qm.weightHook(name);
        if (!h)
            continue;
        putParams(d, "weight." + name, h->weightQuantizer());
        putParams(d, "input." + name, h->inputQuantizer());
        if (auto ar = std::dynamic_pointer_cast<quant::AdaRoundRounding>(h->rounding)) {
            if (!ar->hard())
                throw PipelineError("quantized checkpoint: layer '" + name + "' has a soft AdaRound rounding (not finished)");
            d.insert("weight." + name + ".adaround_v", ar->v().detach().clone());
        } else if (h->rounding) {
            throw PipelineError("quantized checkpoint: layer '" + name + "' uses a rounding that cannot be saved");
        }
    }
    for (const auto& name : qm.activationNames())
        if (auto* h = qm.activationHook(name))
            putParams(d, "activation." + name, h->quantizer());
    const auto bytes = torch::pickle_save(c10::IValue(d));
    return std::string(bytes.begin(), bytes.end());
}

void restoreQuantizedState(quant::QuantizedModel& qm, const std::string& bytes) {
    c10::IValue v;
    try {
        v = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
    } catch (const std::exception& e) {
        throw PipelineError(std::string("quantized checkpoint is unreadable: ") + e.what());
    }
    if (!v.isGenericDict())
        throw PipelineError("quantized checkpoint is not a dict of tensors");
    Dict d = c10::impl::toTypedDict<std::string, at::Tensor>(v.toGenericDict());
    torch::NoGradGuard ng;
    auto& model = *qm.model();
    for (auto& p : model.named_parameters())
        copyInto(p.value(), need(d, "param." + p.key()), "param." + p.key());
    for (auto& b : model.named_buffers())
        copyInto(b.value(), need(d, "buffer." + b.key()), "buffer." + b.key());
    for (const auto& name : qm.layerNames()) {
        auto* h = qm.weightHook(name);
        if (!h)
            continue;
        takeParams(d, "weight." + name, h->weightQuantizer());
        takeParams(d, "input." + name, h->inputQuantizer());
        h->rounding.reset();
        const std::string vk = "weight." + name + ".adaround_v";
        if (d.contains(vk)) {
            auto r = std::make_shared<quant::AdaRoundRounding>(d.at(vk).clone());
            r->setHard(true);
            h->rounding = r;
        }
    }
    for (const auto& name : qm.activationNames())
        if (auto* h = qm.activationHook(name))
            takeParams(d, "activation." + name, h->quantizer());
    qm.setMode(quant::QuantMode::Frozen);
}

} // namespace dfq::pipeline
