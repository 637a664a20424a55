#include "quant/QatDistiller.h"

#include "quant/DistillationStudent.h"

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
    teacher->eval();
    qm.setMode(QuantMode::Frozen);
    DistillationStudent student(qm, o);
    if (o.prepareOptimizer)
        o.prepareOptimizer(student.optimizer());
    QatReport rep;
    double sum = 0;
    for (int64_t step = std::max<int64_t>(0, o.firstStep); step < o.steps; ++step) {
        if (o.cancel.cancelled())
            throw runtime::Cancelled(); // the student's destructor keeps the ranges it trained with
        auto b = next();
        if (!b && o.rewind) {
            o.rewind();
            b = next();
        }
        if (!b || b->size() == 0)
            break;
        student.setLr(DistillationStudent::scheduledLr(o, o.lr, step, o.steps));
        torch::Tensor t;
        {
            torch::NoGradGuard ng;
            t = teacher->forward(b->images);
        }
        rep.lastLoss = student.step(b->images, t, b->labels, "step " + std::to_string(step));
        rep.steps = step + 1;
        sum += rep.lastLoss;
        if (o.progress)
            o.progress(step, o.steps, rep.lastLoss);
        if (o.afterStep)
            o.afterStep(step, student.optimizer());
    }
    student.finish();
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
