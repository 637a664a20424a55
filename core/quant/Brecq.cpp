#include "quant/Brecq.h"

#include "models/CifarResNet.h"
#include "models/MobileNetV2.h"
#include "models/TorchvisionResNet.h"
#include "quant/LayerInputCapture.h"
#include "quant/QuantError.h"

#include <chrono>
#include <torch/torch.h>

#include <regex>

namespace dfq::quant {

namespace {

constexpr int64_t kChunk = 256;

using UnitFn = std::function<torch::Tensor(const torch::Tensor&)>;

UnitFn unitForward(models::ZooModelImpl& model, const std::string& unit, std::vector<models::QuantLayerRef>& layers,
                   const std::vector<std::string>& names) {
    if (names.size() == 1 && names[0] == unit) {
        for (auto& l : layers)
            if (l.name == unit) {
                auto ref = l;
                return [ref](const torch::Tensor& x) mutable {
                    return ref.isConv() ? ref.conv->forward(x) : ref.linear->forward(x);
                };
            }
    }
    for (const auto& item : model.named_modules()) {
        if (item.key() != unit)
            continue;
        auto mod = item.value();
        if (auto b = std::dynamic_pointer_cast<models::CifarBasicBlockImpl>(mod))
            return [b](const torch::Tensor& x) { return b->forward(x); };
        if (auto b = std::dynamic_pointer_cast<models::TorchvisionBasicBlockImpl>(mod))
            return [b](const torch::Tensor& x) { return b->forward(x); };
        if (auto b = std::dynamic_pointer_cast<models::TorchvisionBottleneckImpl>(mod))
            return [b](const torch::Tensor& x) { return b->forward(x); };
        if (auto b = std::dynamic_pointer_cast<models::InvertedResidualImpl>(mod))
            return [b](const torch::Tensor& x) { return b->forward(x); };
        if (auto b = std::dynamic_pointer_cast<models::ConvBNReLU6Impl>(mod))
            return [b](const torch::Tensor& x) { return b->forward(x); };
        throw QuantError("BRECQ: module '" + unit + "' is not a known block type");
    }
    throw QuantError("BRECQ: no module named '" + unit + "'");
}

torch::Tensor chunked(const UnitFn& f, const torch::Tensor& x) {
    torch::NoGradGuard ng;
    std::vector<torch::Tensor> out;
    for (int64_t s = 0; s < x.size(0); s += kChunk)
        out.push_back(f(x.narrow(0, s, std::min(kChunk, x.size(0) - s))));
    return torch::cat(out, 0);
}

torch::Tensor recLoss(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).pow(2).sum(1).mean(); }

} // namespace

std::vector<std::pair<std::string, std::vector<std::string>>> brecqUnits(models::ZooModelImpl& model) {
    static const std::regex block(R"(^((layer\d+\.\d+)|(features\.\d+))\..*)");
    std::vector<std::pair<std::string, std::vector<std::string>>> units;
    for (auto& l : model.quantLayers()) {
        std::smatch m;
        const std::string unit = std::regex_match(l.name, m, block) ? m[1].str() : l.name;
        if (units.empty() || units.back().first != unit)
            units.push_back({unit, {}});
        units.back().second.push_back(l.name);
    }
    return units;
}

std::vector<BrecqBlockReport> runBrecq(QuantizedModel& qm, BatchSource& source, const BrecqOptions& o) {
    if (o.iterations < 0 || o.batchSize <= 0)
        throw QuantError("BRECQ: iterations must be >= 0 and batch size > 0");
    models::ZooModel model = qm.model();
    const auto images = collectImages(source, o.maxImages);
    const bool wasTraining = model->is_training();
    model->eval();
    std::vector<std::pair<torch::Tensor, bool>> grads;
    for (auto& p : model->parameters()) {
        grads.emplace_back(p, p.requires_grad());
        p.set_requires_grad(false);
    }
    std::vector<TensorQuantizer*> learning;
    auto restore = [&] {
        for (auto* q : learning)
            q->disableLearnableStep();
        learning.clear();
        for (auto& [p, g] : grads)
            p.set_requires_grad(g);
        qm.setMode(QuantMode::Frozen);
        model->train(wasTraining);
    };

    auto layers = model->quantLayers();
    auto refOf = [&](const std::string& n) -> models::QuantLayerRef& {
        for (auto& l : layers)
            if (l.name == n)
                return l;
        throw QuantError("BRECQ: no layer '" + n + "'");
    };
    std::vector<BrecqBlockReport> reports;
    torch::Generator gen = at::detail::createCPUGenerator(o.seed);
    try {
        for (auto& [unit, names] : brecqUnits(*model)) {
            if (o.which && !o.which(unit))
                continue;
            std::vector<WeightQuantHook*> hooks;
            for (const auto& n : names)
                if (auto* h = qm.weightHook(n); h && h->weightQuantizer().enabled())
                    hooks.push_back(h);
            if (hooks.empty())
                continue;
            if (o.cancel.cancelled())
                throw runtime::Cancelled();
            auto f = unitForward(*model, unit, layers, names);
            auto& first = refOf(names.front());

            qm.setMode(QuantMode::Disabled);
            const auto xFp = captureLayerInput(model, first, images);
            const auto y = chunked(f, xFp);
            qm.setMode(QuantMode::Frozen);
            const auto xQ = captureLayerInput(model, first, images);
            for (auto* h : hooks)
                h->rounding = nullptr;
            BrecqBlockReport rep;
            const auto unitStart = std::chrono::steady_clock::now();
            rep.block = unit;
            rep.layers = names;
            rep.mseBefore = (chunked(f, xQ) - y).pow(2).mean().item<double>();

            std::vector<std::shared_ptr<AdaRoundRounding>> roundings;
            std::vector<torch::Tensor> vs, steps;
            for (auto* h : hooks) {
                const auto w = refOf(h->layer()).weight().detach();
                auto r = std::make_shared<AdaRoundRounding>(adaRoundInitV(w, h->weightQuantizer().params()).set_requires_grad(true));
                h->rounding = r;
                roundings.push_back(r);
                vs.push_back(r->v());
            }
            if (o.lrStep > 0 && unit != names.front()) { // blocks only: their inner activation quantizers
                for (const auto& an : qm.activationNames())
                    if (an.rfind(unit + ".", 0) == 0)
                        if (auto* ah = qm.activationHook(an); ah && ah->quantizer().enabled()) {
                            steps.push_back(ah->quantizer().enableLearnableStep());
                            learning.push_back(&ah->quantizer());
                        }
                for (auto* h : hooks)
                    if (h->inputQuantizer().enabled() && h->inputQuantizer().frozen()) {
                        steps.push_back(h->inputQuantizer().enableLearnableStep());
                        learning.push_back(&h->inputQuantizer());
                    }
            }
            torch::optim::Adam optV(vs, torch::optim::AdamOptions(o.lrRounding));
            std::unique_ptr<torch::optim::Adam> optS;
            if (!steps.empty())
                optS = std::make_unique<torch::optim::Adam>(steps, torch::optim::AdamOptions(o.lrStep));
            const int64_t n = xQ.size(0), bs = std::min(o.batchSize, n);
            for (int64_t t = 0; t < o.iterations; ++t) {
                if (t % 50 == 0 && o.cancel.cancelled())
                    throw runtime::Cancelled();
                const auto idx = torch::randperm(n, gen, torch::kLong).narrow(0, 0, bs);
                const auto out = f(xQ.index_select(0, idx));
                auto rec = recLoss(out, y.index_select(0, idx));
                const double beta = adaRoundBeta(t, o.iterations, o.warmup, o.betaStart, o.betaEnd);
                torch::Tensor reg = torch::zeros({}, out.options());
                if (beta > 0)
                    for (auto& r : roundings)
                        reg = reg + o.lambda * adaRoundRegularizer(rectifiedSigmoid(r->v()), beta);
                auto loss = rec + reg;
                optV.zero_grad();
                if (optS)
                    optS->zero_grad();
                loss.backward();
                optV.step();
                if (optS) {
                    optS->step();
                    torch::NoGradGuard ng;
                    for (auto& s : steps)
                        s.clamp_min_(1e-8);
                }
                if (o.progress && t % 100 == 0)
                    o.progress(unit, t, rec.item<double>(), reg.item<double>());
            }
            for (auto& r : roundings)
                r->setHard(true);
            for (auto* q : learning)
                q->disableLearnableStep();
            learning.clear();
            rep.mseAfter = (chunked(f, xQ) - y).pow(2).mean().item<double>();
            if (o.progress)
                o.progress(unit, o.iterations, rep.mseAfter, 0.0);
            rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - unitStart).count();
            reports.push_back(rep);
        }
    } catch (...) {
        restore();
        throw;
    }
    restore();
    return reports;
}

} // namespace dfq::quant
