#include "quant/QatDistiller.h"

#include "models/ModelZoo.h"
#include "models/StateDictMapping.h"
#include "quant/QuantError.h"

#include <torch/torch.h>

#include <cmath>

namespace dfq::quant {

models::ZooModel cloneModel(models::ZooModelImpl& model) {
    auto copy = models::createModel(model.info().arch);
    copy->info() = model.info();
    models::applyStateDict(*copy, models::extractStateDict(model));
    copy->eval();
    for (auto& p : copy->parameters())
        p.set_requires_grad(false);
    return copy;
}

torch::Tensor qatLoss(const torch::Tensor& s, const torch::Tensor& t, const torch::Tensor& labels, double alpha,
                      double T, const std::string& reduction) {
    if (reduction != "mean" && reduction != "batchmean")
        throw QuantError("QAT: KL reduction must be 'mean' or 'batchmean', got '" + reduction + "'");
    torch::Tensor y = t.argmax(1);
    if (labels.defined() && labels.numel() == s.size(0))
        y = torch::where(labels >= 0, labels.to(torch::kLong), y);
    const auto ce = torch::nn::functional::cross_entropy(s, y);
    const auto logPs = torch::log_softmax(s / T, 1);
    const auto logPt = torch::log_softmax(t.detach() / T, 1);
    const auto kl = (logPt.exp() * (logPt - logPs)).sum();
    const auto klr = reduction == "mean" ? kl / double(s.numel()) : kl / double(s.size(0));
    return ce + alpha * T * T * klr;
}

QatReport runQatDistillation(QuantizedModel& qm, models::ZooModel teacher,
                             const std::function<std::optional<data::Batch>()>& next, const QatOptions& o) {
    if (o.steps < 0 || o.lr <= 0 || o.temperature <= 0)
        throw QuantError("QAT: steps >= 0, lr > 0 and temperature > 0 required");
    if (o.schedule != "cosine" && o.schedule != "step")
        throw QuantError("QAT: schedule must be 'cosine' or 'step', got '" + o.schedule + "'");
    if (o.klReduction != "mean" && o.klReduction != "batchmean")
        throw QuantError("QAT: KL reduction must be 'mean' or 'batchmean', got '" + o.klReduction + "'");
    models::ZooModel student = qm.model();
    teacher->eval();
    student->eval(); // BN running stats frozen; affine still trained
    std::vector<WeightQuantHook*> hooks;
    for (const auto& n : qm.layerNames())
        if (auto* h = qm.weightHook(n)) {
            h->rounding = nullptr;
            h->trackWeights = true;
            hooks.push_back(h);
        }
    qm.setMode(QuantMode::Frozen);
    std::vector<torch::Tensor> params;
    for (auto& p : student->parameters()) {
        p.set_requires_grad(true);
        params.push_back(p);
    }
    torch::optim::SGD opt(params, torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov)
                                      .weight_decay(o.weightDecay));
    // The student trained with min/max weight ranges tracked every step: it keeps those (for its final
    // weights), not the configured PTQ observer's (refreshWeightRanges would re-run e.g. MSE).
    auto finish = [&] {
        for (const auto& n : qm.layerNames())
            if (auto* h = qm.weightHook(n)) {
                h->trackWeights = false;
                for (auto& l : student->quantLayers())
                    if (l.name == n)
                        h->trackWeightRange(l.weight());
            }
        student->eval();
    };
    if (o.prepareOptimizer)
        o.prepareOptimizer(opt);
    QatReport rep;
    double sum = 0;
    try {
        for (int64_t step = std::max<int64_t>(0, o.firstStep); step < o.steps; ++step) {
            if (o.cancel.cancelled())
                throw runtime::Cancelled();
            auto b = next();
            if (!b && o.rewind) {
                o.rewind();
                b = next();
            }
            if (!b || b->size() == 0)
                break;
            double lr = o.lr;
            if (o.schedule == "cosine")
                lr = 0.5 * o.lr * (1.0 + std::cos(M_PI * double(step) / double(std::max<int64_t>(1, o.steps))));
            else
                lr = o.lr * (step >= o.steps * 3 / 4 ? 0.01 : step >= o.steps / 2 ? 0.1 : 1.0);
            for (auto& g : opt.param_groups())
                static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
            torch::Tensor t;
            {
                torch::NoGradGuard ng;
                t = teacher->forward(b->images);
            }
            const auto s = student->forward(b->images);
            auto loss = qatLoss(s, t, b->labels, o.alpha, o.temperature, o.klReduction);
            if (!std::isfinite(loss.item<double>()))
                throw QuantError("QAT: loss became NaN/Inf at step " + std::to_string(step) + " (lower the learning rate)");
            opt.zero_grad();
            loss.backward();
            opt.step();
            rep.steps = step + 1;
            rep.lastLoss = loss.item<double>();
            sum += rep.lastLoss;
            if (o.progress)
                o.progress(step, o.steps, rep.lastLoss);
            if (o.afterStep)
                o.afterStep(step, opt);
        }
    } catch (...) {
        finish();
        throw;
    }
    finish();
    rep.meanLoss = rep.steps > o.firstStep ? sum / double(rep.steps - std::max<int64_t>(0, o.firstStep)) : 0.0;
    return rep;
}

QatReport runQatDistillation(QuantizedModel& qm, models::ZooModel teacher, BatchSource& source, const QatOptions& o) {
    return runQatDistillation(
        qm, std::move(teacher),
        [&source]() -> std::optional<data::Batch> {
            auto x = source.next();
            if (!x)
                return std::nullopt;
            return data::Batch{*x, torch::Tensor()};
        },
        o);
}

} // namespace dfq::quant
