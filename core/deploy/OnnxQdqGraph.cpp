#include "deploy/OnnxQdqGraph.h"

#include "deploy/DeployError.h"
#include "quant/AdaRound.h"
#include "quant/QuantHooks.h"

#include <torch/nn/module.h>

#include <algorithm>
#include <limits>

namespace dfq::deploy {

namespace {

int32_t onnxType(c10::ScalarType t) {
    switch (t) {
    case torch::kFloat: return onnx::TensorProto::FLOAT;
    case torch::kInt8: return onnx::TensorProto::INT8;
    case torch::kUInt8: return onnx::TensorProto::UINT8;
    case torch::kInt32: return onnx::TensorProto::INT32;
    case torch::kInt64: return onnx::TensorProto::INT64;
    default: throw DeployError(std::string("ONNX export: unsupported tensor type ") + c10::toString(t));
    }
}

void setInt(onnx::NodeProto* n, const std::string& key, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(key);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}

void setInts(onnx::NodeProto* n, const std::string& key, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(key);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v)
        a->add_ints(x);
}

void setFloat(onnx::NodeProto* n, const std::string& key, float v) {
    auto* a = n->add_attribute();
    a->set_name(key);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
}

void declareTensor(onnx::ValueInfoProto* vi, const std::string& name, const std::vector<int64_t>& dims) {
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tt->mutable_shape();
    shape->add_dim()->set_dim_param("N");   // batch: any size
    for (int64_t d : dims)
        shape->add_dim()->set_dim_value(d);
}

} // namespace

quant::QuantParams effectiveParams(const quant::TensorQuantizer& q) {
    quant::QuantParams p = q.params();
    if (q.learnableStep().defined())
        p.scale = q.learnableStep().detach().clone();
    return p;
}

OnnxQdqGraph::OnnxQdqGraph(onnx::GraphProto& graph, models::ZooModelImpl& model, const OnnxExportOptions& options,
                           OnnxExportReport& report)
    : graph_(graph), model_(model), options_(options), report_(report) {
    for (const auto& item : model.named_modules("", /*include_self=*/false))
        names_[item.value().get()] = item.key();
}

std::string OnnxQdqGraph::fresh(const std::string& base) {
    std::string n = base;
    for (int i = 1; used_.count(n); ++i)
        n = base + "_" + std::to_string(i);
    used_.insert(n);
    return n;
}

const std::string& OnnxQdqGraph::moduleName(const torch::nn::Module& m) const {
    auto it = names_.find(&m);
    if (it == names_.end())
        throw DeployError("ONNX export: describe() passed a module that is not part of the model");
    return it->second;
}

onnx::NodeProto* OnnxQdqGraph::node(const std::string& op, const std::vector<std::string>& inputs, const Value& output) {
    auto* n = graph_.add_node();
    n->set_op_type(op);
    n->set_name(output);
    for (const auto& i : inputs)
        n->add_input(i);
    n->add_output(output);
    return n;
}

std::string OnnxQdqGraph::initializer(const std::string& base, const torch::Tensor& t) {
    const std::string name = fresh(base);
    const torch::Tensor c = t.detach().cpu().contiguous();
    auto* tp = graph_.add_initializer();
    tp->set_name(name);
    tp->set_data_type(onnxType(c.scalar_type()));
    for (int64_t d : c.sizes())
        tp->add_dims(d);
    tp->set_raw_data(c.data_ptr(), c.nbytes());
    return name;
}

models::WeightInputHook* OnnxQdqGraph::quantHookOf(const std::string& layer,
                                                   const std::shared_ptr<models::WeightInputHook>& h) {
    if (!options_.quantized || !h)
        return nullptr;
    auto* q = dynamic_cast<quant::WeightQuantHook*>(h.get());
    if (!q)
        throw DeployError("layer '" + layer + "' carries a hook that is not a quantizer; it cannot be exported");
    if (q->mode != quant::QuantMode::Frozen)
        throw DeployError("layer '" + layer + "': its quantizers are in " + quant::modeName(q->mode) +
                          " mode, not frozen: calibrate the model before a quantized export (or export FP32)");
    return q;
}

OnnxQdqGraph::Value OnnxQdqGraph::input() {
    const auto& info = model_.info();
    declareTensor(graph_.add_input(), "input", {info.inChannels, info.inHeight, info.inWidth});
    used_.insert("input");
    return "input";
}

OnnxQdqGraph::Value OnnxQdqGraph::quantizeDequantize(const Value& x, const quant::TensorQuantizer& q, bool isInput) {
    const quant::QuantParams p = effectiveParams(q);
    const std::string& site = q.site();
    if (p.perChannel())
        throw DeployError("'" + site + "': a per-channel activation quantizer cannot be written as QuantizeLinear");
    const bool isSigned = p.qmin < 0;
    const auto type = isSigned ? torch::kInt8 : torch::kUInt8;
    const int64_t tmin = isSigned ? -128 : 0, tmax = isSigned ? 127 : 255;
    if (p.qmin < tmin || p.qmax > tmax)
        throw DeployError("'" + site + "': its grid [" + std::to_string(p.qmin) + ", " + std::to_string(p.qmax) +
                          "] does not fit an 8-bit type");
    const float scale = p.scale.to(torch::kFloat).item<float>();
    if (!(scale > 0) || !std::isfinite(scale))
        throw DeployError("'" + site + "': scale " + std::to_string(scale) + " is not a positive finite number");
    const std::string s = initializer(site + ".scale", p.scale.to(torch::kFloat).reshape({}));
    const std::string z = initializer(site + ".zero_point", p.zeroPoint.round().to(type).reshape({}));
    const Value qv = fresh(site + ".quantized");
    node("QuantizeLinear", {x, s, z}, qv);
    Value dv = fresh(site + ".dequantized");
    node("DequantizeLinear", {qv, s, z}, dv);
    if (p.qmin != tmin || p.qmax != tmax) {
        // A k-bit grid inside the 8-bit type: clip the dequantized values to the grid's represented
        // range (computed as the simulation computes it, so the bounds are the same floats), then
        // quantize again so that consumers still read a DequantizeLinear output.
        const std::string lo = initializer(site + ".min", p.rangeMin().to(torch::kFloat).reshape({}));
        const std::string hi = initializer(site + ".max", p.rangeMax().to(torch::kFloat).reshape({}));
        const Value cv = fresh(site + ".clipped");
        node("Clip", {dv, lo, hi}, cv);
        const Value q2 = fresh(site + ".requantized");
        node("QuantizeLinear", {cv, s, z}, q2);
        dv = fresh(site + ".dequantized");
        node("DequantizeLinear", {q2, s, z}, dv);
        ++report_.narrowGrids;
    }
    ++(isInput ? report_.inputQdq : report_.activationQdq);
    siteBits_[site] = p.bits;
    dqScale_[dv] = scale;
    return dv;
}

OnnxQdqGraph::Value OnnxQdqGraph::weightValue(const std::string& layer, torch::Tensor w, models::WeightInputHook* h,
                                              torch::Tensor* scale) {
    auto* hook = static_cast<quant::WeightQuantHook*>(h);
    if (!hook || !hook->weightQuantizer().enabled()) {
        ++report_.floatWeights;
        report_.weightBytes += w.numel() * 4;
        *scale = torch::Tensor();
        return initializer(layer + ".weight", w.to(torch::kFloat));
    }
    if (hook->trackWeights)   // QAT: the forward recomputes the range from the current weight
        hook->trackWeightRange(w);
    const quant::QuantParams& p = hook->weightQuantizer().params();
    torch::Tensor q;
    if (hook->rounding) {
        auto ar = std::dynamic_pointer_cast<quant::AdaRoundRounding>(hook->rounding);
        if (!ar)
            throw DeployError("layer '" + layer + "' uses a weight rounding that cannot be written as integer codes");
        q = ar->codes(w, p);
    } else {
        q = quant::quantizeCodes(w, p);
    }
    const bool isSigned = p.qmin < 0;
    const auto type = isSigned ? torch::kInt8 : torch::kUInt8;
    const std::string qn = initializer(layer + ".weight_quantized", q.to(type));
    const std::string sn = initializer(layer + ".weight_scale", p.scale.to(torch::kFloat));
    const std::string zn = initializer(layer + ".weight_zero_point", p.zeroPoint.round().to(type));
    const Value out = fresh(layer + ".weight");
    auto* n = node("DequantizeLinear", {qn, sn, zn}, out);
    if (p.perChannel())
        setInt(n, "axis", 0);
    ++report_.quantizedWeights;
    report_.weightBytes += q.numel();
    siteBits_[layer + ".weight"] = p.bits;
    *scale = p.scale.to(torch::kFloat);
    return out;
}

OnnxQdqGraph::Value OnnxQdqGraph::biasValue(const std::string& layer, const torch::Tensor& b, const Value& x,
                                            const torch::Tensor& wScale) {
    auto it = dqScale_.find(x);
    auto floatBias = [&] {
        ++report_.floatBiases;
        report_.weightBytes += b.numel() * 4;
        return initializer(layer + ".bias", b.to(torch::kFloat));
    };
    if (!options_.quantizeBias || it == dqScale_.end() || !wScale.defined())
        return floatBias();
    // What QLinearConv / QGemm add to the int32 accumulator: b / (s_in * s_w), rounded.
    torch::Tensor scale = (wScale * it->second).to(torch::kFloat);
    if (scale.dim() == 0)
        scale = scale.expand({b.numel()}).contiguous();
    const torch::Tensor bf = b.to(torch::kFloat);
    const torch::Tensor qd = (bf.to(torch::kDouble) / scale.to(torch::kDouble)).round();
    if ((qd.abs() > double(std::numeric_limits<int32_t>::max())).any().item<bool>() || (scale <= 0).any().item<bool>())
        return floatBias();   // cannot be an int32 bias; the layer then stays a float op
    const torch::Tensor q = qd.to(torch::kInt32);
    const double err = (bf - q.to(torch::kFloat) * scale).abs().max().item<double>();
    report_.maxBiasError = std::max(report_.maxBiasError, err);
    const std::string qn = initializer(layer + ".bias_quantized", q);
    const std::string sn = initializer(layer + ".bias_scale", scale);
    const std::string zn = initializer(layer + ".bias_zero_point", torch::zeros_like(q));
    const Value out = fresh(layer + ".bias");
    setInt(node("DequantizeLinear", {qn, sn, zn}, out), "axis", 0);
    ++report_.int32Biases;
    report_.weightBytes += q.numel() * 4;
    return out;
}

std::vector<std::string> OnnxQdqGraph::layerInputs(const std::string& name,
                                                   const std::shared_ptr<models::WeightInputHook>& h, const Value& x,
                                                   const torch::Tensor& weight, const torch::Tensor& bias) {
    auto* hook = quantHookOf(name, h);
    Value in = x;
    if (hook) {
        auto& iq = static_cast<quant::WeightQuantHook*>(hook)->inputQuantizer();
        if (iq.enabled())
            in = quantizeDequantize(x, iq, /*isInput=*/true);
    }
    torch::Tensor wScale;
    std::vector<std::string> inputs{in, weightValue(name, weight.detach(), hook, &wScale)};
    if (bias.defined())
        inputs.push_back(biasValue(name, (hook ? hook->bias(bias) : bias).detach(), in, wScale));
    return inputs;
}

OnnxQdqGraph::Value OnnxQdqGraph::conv(models::Conv2dImpl& c, const Value& x) {
    const std::string& name = moduleName(c);
    const auto& o = c.options();
    auto* n = node("Conv", layerInputs(name, c.hook, x, c.weight, c.bias), fresh(name));
    setInts(n, "kernel_shape", {o.kernel, o.kernel});
    setInts(n, "strides", {o.stride, o.stride});
    setInts(n, "pads", {o.padding, o.padding, o.padding, o.padding});
    setInts(n, "dilations", {o.dilation, o.dilation});
    setInt(n, "group", o.groups);
    return n->output(0);
}

OnnxQdqGraph::Value OnnxQdqGraph::linear(models::LinearImpl& fc, const Value& x) {
    const std::string& name = moduleName(fc);
    auto* n = node("Gemm", layerInputs(name, fc.hook, x, fc.weight, fc.bias), fresh(name));
    setInt(n, "transB", 1);   // weight [out, in]
    return n->output(0);
}

OnnxQdqGraph::Value OnnxQdqGraph::batchNorm(models::BatchNorm2dImpl& bn, const Value& x) {
    if (!bn.enabled)   // folded into the conv before it
        return x;
    const std::string& name = moduleName(bn);
    const int64_t c = bn.channels();
    const torch::Tensor gamma = bn.affine() ? bn.weight.detach() : torch::ones({c});
    const torch::Tensor beta = bn.affine() ? bn.bias.detach() : torch::zeros({c});
    report_.weightBytes += 4 * c * 4;
    auto* n = node("BatchNormalization",
                   {x, initializer(name + ".weight", gamma.to(torch::kFloat)), initializer(name + ".bias", beta.to(torch::kFloat)),
                    initializer(name + ".running_mean", bn.running_mean.detach().to(torch::kFloat)),
                    initializer(name + ".running_var", bn.running_var.detach().to(torch::kFloat))},
                   fresh(name));
    setFloat(n, "epsilon", float(bn.eps()));
    return n->output(0);
}

OnnxQdqGraph::Value OnnxQdqGraph::activation(models::ActivationImpl& act, const Value& x) {
    const std::string& name = moduleName(act);
    Value y = fresh(name);
    if (act.kind() == models::ActivationKind::ReLU) {
        node("Relu", {x}, y);
    } else {
        node("Clip", {x, initializer(name + ".min", torch::zeros({})), initializer(name + ".max", torch::full({}, 6.0f))}, y);
    }
    if (!options_.quantized || !act.hook)
        return y;
    auto* hook = dynamic_cast<quant::ActivationQuantHook*>(act.hook.get());
    if (!hook)
        throw DeployError("activation '" + name + "' carries a hook that is not a quantizer; it cannot be exported");
    if (hook->mode != quant::QuantMode::Frozen)
        throw DeployError("activation '" + name + "': its quantizer is in " + quant::modeName(hook->mode) +
                          " mode, not frozen: calibrate the model before a quantized export (or export FP32)");
    return hook->quantizer().enabled() ? quantizeDequantize(y, hook->quantizer(), /*isInput=*/false) : y;
}

OnnxQdqGraph::Value OnnxQdqGraph::add(const Value& a, const Value& b) {
    const Value y = fresh("add");
    node("Add", {a, b}, y);
    return y;
}

OnnxQdqGraph::Value OnnxQdqGraph::globalAveragePool(const Value& x) {
    const Value pooled = fresh("global_pool");
    node("GlobalAveragePool", {x}, pooled);   // [N,C,1,1]
    const Value flat = fresh("flatten");
    setInt(node("Flatten", {pooled}, flat), "axis", 1);
    return flat;
}

OnnxQdqGraph::Value OnnxQdqGraph::maxPool(const Value& x, int64_t kernel, int64_t stride, int64_t padding) {
    auto* n = node("MaxPool", {x}, fresh("maxpool"));
    setInts(n, "kernel_shape", {kernel, kernel});
    setInts(n, "strides", {stride, stride});
    setInts(n, "pads", {padding, padding, padding, padding});
    return n->output(0);
}

OnnxQdqGraph::Value OnnxQdqGraph::subsampleAndPadChannels(const Value& x, int64_t stride, int64_t padBefore,
                                                          int64_t padAfter) {
    auto i64 = [](std::vector<int64_t> v) { return torch::tensor(v, torch::kLong); };
    const int64_t big = std::numeric_limits<int64_t>::max();
    const Value sub = fresh("shortcut_subsample");
    node("Slice",
         {x, initializer("shortcut.starts", i64({0, 0})), initializer("shortcut.ends", i64({big, big})),
          initializer("shortcut.axes", i64({2, 3})), initializer("shortcut.steps", i64({stride, stride}))},
         sub);
    const Value padded = fresh("shortcut_pad");
    node("Pad", {sub, initializer("shortcut.pads", i64({0, padBefore, 0, 0, 0, padAfter, 0, 0})),
                 initializer("shortcut.pad_value", torch::zeros({}))},
         padded);
    return padded;
}

void OnnxQdqGraph::output(const Value& logits) {
    node("Identity", {logits}, "logits");
    declareTensor(graph_.add_output(), "logits", {model_.info().numClasses});
}

} // namespace dfq::deploy
