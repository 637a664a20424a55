#include "quant/QuantizedModel.h"

#include "quant/QuantError.h"

#include <torch/torch.h>

#include <sstream>

namespace dfq::quant {

QuantizedModel::QuantizedModel(models::ZooModel model, QuantSpec spec) : model_(std::move(model)), spec_(std::move(spec)) {
    if (!model_)
        throw QuantError("QuantizedModel: no model");
    validateQuantSpec(spec_, *model_);

    std::map<std::string, models::QuantLayerRef> layerByName;
    for (auto& l : model_->quantLayers())
        layerByName[l.name] = l;
    std::map<std::string, models::ActivationRef> actByName;
    for (auto& a : model_->activations())
        actByName[a.name] = a;

    // Refuse before changing anything (folding) when another hook already sits on a layer.
    for (const auto& ls : spec_.layers)
        if (layerByName.at(ls.name).hook() && !std::dynamic_pointer_cast<WeightQuantHook>(layerByName.at(ls.name).hook()))
            throw QuantError("layer '" + ls.name + "' already carries another hook; detach it before quantizing");
    for (const auto& as : spec_.activations)
        if (actByName.at(as.name).act->hook && !std::dynamic_pointer_cast<ActivationQuantHook>(actByName.at(as.name).act->hook))
            throw QuantError("activation '" + as.name + "' already carries another hook; detach it before quantizing");

    if (spec_.foldBn)
        fold_ = foldBatchNorms(*model_);

    bool needsCalibration = false;
    for (const auto& ls : spec_.layers) {
        if (!ls.weight.quantized() && !ls.input.quantized())
            continue;
        auto hook = std::make_shared<WeightQuantHook>(ls);
        hook->computeWeightRange(layerByName.at(ls.name).weight()); // after folding: the weights it will use
        needsCalibration = needsCalibration || ls.input.quantized();
        layers_.emplace_back(layerByName.at(ls.name), hook);
    }
    for (const auto& as : spec_.activations) {
        if (!as.output.quantized())
            continue;
        acts_.emplace_back(actByName.at(as.name), std::make_shared<ActivationQuantHook>(as));
        needsCalibration = true;
    }
    for (auto& [ref, hook] : layers_)
        ref.hook() = hook;
    for (auto& [ref, hook] : acts_)
        ref.act->hook = hook;
    attached_ = true;
    setMode(needsCalibration ? QuantMode::Calibrating : QuantMode::Frozen);
}

QuantizedModel::~QuantizedModel() { detach(); }

void QuantizedModel::detach() {
    if (!attached_)
        return;
    for (auto& [ref, hook] : layers_)
        if (ref.hook() == hook)
            ref.hook() = nullptr;
    for (auto& [ref, hook] : acts_)
        if (ref.act->hook == hook)
            ref.act->hook = nullptr;
    attached_ = false;
}

torch::Tensor QuantizedModel::forward(const torch::Tensor& x) { return model_->forward(x); }

void QuantizedModel::setMode(QuantMode m) {
    setMode(m, [](const std::string&) { return true; });
    mode_ = m;
}

void QuantizedModel::setMode(QuantMode m, const std::function<bool(const std::string&)>& which) {
    for (auto& [ref, hook] : layers_)
        if (which(ref.name))
            hook->mode = m;
    for (auto& [ref, hook] : acts_)
        if (which(ref.name))
            hook->mode = m;
}

void QuantizedModel::checkBatch(const torch::Tensor& x, int64_t index) const {
    const auto& info = model_->info();
    std::ostringstream expected;
    expected << "[N, " << info.inChannels << ", " << info.inHeight << ", " << info.inWidth << "]";
    const std::string where = "calibration batch #" + std::to_string(index);
    if (!x.defined())
        throw QuantError(where + " is empty (undefined tensor); expected " + expected.str());
    if (x.dim() != 4 || x.size(0) == 0 || x.size(1) != info.inChannels || x.size(2) != info.inHeight ||
        x.size(3) != info.inWidth)
        throw QuantError(where + " has shape " + c10::str(x.sizes()) + ", expected " + expected.str() + " for " +
                         info.arch);
    if (!x.is_floating_point())
        throw QuantError(where + " must be floating point, got " + std::string(c10::toString(x.scalar_type())));
    requireFinite(x, "calibration batch", "#" + std::to_string(index));
}

void QuantizedModel::observeBatch(const torch::Tensor& x) {
    checkBatch(x, batchesSeen_);
    const bool wasTraining = model_->is_training();
    const QuantMode before = mode_;
    model_->eval();
    setMode(QuantMode::Calibrating);
    try {
        torch::NoGradGuard ng;
        model_->forward(x.to(torch::kFloat));
    } catch (...) {
        model_->train(wasTraining);
        setMode(before);
        throw;
    }
    model_->train(wasTraining);
    ++batchesSeen_;
}

CalibrationReport QuantizedModel::calibrate(BatchSource& source, int64_t maxBatches) {
    CalibrationReport r;
    while (maxBatches < 0 || r.batches < maxBatches) {
        std::optional<torch::Tensor> b = source.next();
        if (!b)
            break;
        observeBatch(*b);
        ++r.batches;
        r.images += b->size(0);
    }
    if (r.batches == 0)
        throw QuantError("calibration source produced no batches");
    freeze();
    return r;
}

void QuantizedModel::freeze() {
    for (auto& [ref, hook] : layers_)
        hook->inputQuantizer().freeze();
    for (auto& [ref, hook] : acts_)
        hook->quantizer().freeze();
    setMode(QuantMode::Frozen);
}

void QuantizedModel::resetObservers() {
    for (auto& [ref, hook] : layers_)
        hook->inputQuantizer().resetObserver();
    for (auto& [ref, hook] : acts_)
        hook->quantizer().resetObserver();
    batchesSeen_ = 0;
}

void QuantizedModel::refreshWeightRanges() {
    for (auto& [ref, hook] : layers_)
        hook->computeWeightRange(ref.weight());
}

WeightQuantHook* QuantizedModel::weightHook(const std::string& layer) {
    for (auto& [ref, hook] : layers_)
        if (ref.name == layer)
            return hook.get();
    return nullptr;
}

ActivationQuantHook* QuantizedModel::activationHook(const std::string& activation) {
    for (auto& [ref, hook] : acts_)
        if (ref.name == activation)
            return hook.get();
    return nullptr;
}

std::vector<std::string> QuantizedModel::layerNames() const {
    std::vector<std::string> out;
    for (const auto& l : layers_)
        out.push_back(l.first.name);
    return out;
}

std::vector<std::string> QuantizedModel::activationNames() const {
    std::vector<std::string> out;
    for (const auto& a : acts_)
        out.push_back(a.first.name);
    return out;
}

nlohmann::json QuantizedModel::toJson() const {
    nlohmann::json folded = nlohmann::json::array(), w = nlohmann::json::array(), in = nlohmann::json::array(),
                   a = nlohmann::json::array();
    for (const auto& [bn, conv] : fold_.folded)
        folded.push_back({{"bn", bn}, {"conv", conv}});
    for (const auto& [ref, hook] : layers_) {
        w.push_back(hook->weightQuantizer().toJson());
        if (hook->inputQuantizer().enabled())
            in.push_back(hook->inputQuantizer().toJson());
    }
    for (const auto& [ref, hook] : acts_)
        a.push_back(hook->quantizer().toJson());
    return {{"spec", spec_.toJson()}, {"bn_folded", folded}, {"weights", w}, {"inputs", in}, {"activations", a}};
}

} // namespace dfq::quant
