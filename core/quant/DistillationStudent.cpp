#include "quant/DistillationStudent.h"

#include "quant/QuantError.h"

#include <torch/torch.h>

#include <cmath>

namespace dfq::quant {

DistillationStudent::DistillationStudent(QuantizedModel& qm, const QatOptions& o) : qm_(qm), o_(o) {
    if (o.lr <= 0 || o.temperature <= 0)
        throw QuantError("QAT: lr > 0 and temperature > 0 required");
    if (o.schedule != "cosine" && o.schedule != "step")
        throw QuantError("QAT: schedule must be 'cosine' or 'step', got '" + o.schedule + "'");
    if (o.klReduction != "mean" && o.klReduction != "batchmean")
        throw QuantError("QAT: KL reduction must be 'mean' or 'batchmean', got '" + o.klReduction + "'");
    models::ZooModel student = qm.model();
    student->eval(); // BN running stats frozen; affine still trained
    for (const auto& n : qm.layerNames())
        if (auto* h = qm.weightHook(n)) {
            h->rounding = nullptr;
            h->trackWeights = true;
        }
    std::vector<torch::Tensor> params;
    for (auto& p : student->parameters()) {
        p.set_requires_grad(true);
        params.push_back(p);
    }
    opt_ = std::make_unique<torch::optim::SGD>(
        params, torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov).weight_decay(o.weightDecay));
}

DistillationStudent::~DistillationStudent() {
    try {
        finish();
    } catch (...) {
    }
}

double DistillationStudent::scheduledLr(const QatOptions& o, double lr, int64_t step, int64_t steps) {
    if (o.schedule == "cosine")
        return 0.5 * lr * (1.0 + std::cos(M_PI * double(step) / double(std::max<int64_t>(1, steps))));
    return lr * (step >= steps * 3 / 4 ? 0.01 : step >= steps / 2 ? 0.1 : 1.0);
}

void DistillationStudent::setLr(double lr) {
    for (auto& g : opt_->param_groups())
        static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
}

double DistillationStudent::step(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& y,
                                 const std::string& where) {
    const auto s = qm_.model()->forward(x);
    auto loss = qatLoss(s, t.detach(), y, o_.alpha, o_.temperature, o_.klReduction);
    const double value = loss.item<double>();
    if (!std::isfinite(value))
        throw QuantError("QAT: loss became NaN/Inf at " + where + " (lower the learning rate)");
    opt_->zero_grad();
    loss.backward();
    opt_->step();
    return value;
}

void DistillationStudent::finish() {
    if (finished_)
        return;
    finished_ = true;
    // The student trained with min/max weight ranges tracked every step: it keeps those (for its final
    // weights), not the configured PTQ observer's (refreshWeightRanges would re-run e.g. MSE).
    models::ZooModel student = qm_.model();
    auto layers = student->quantLayers();
    for (const auto& n : qm_.layerNames())
        if (auto* h = qm_.weightHook(n)) {
            h->trackWeights = false;
            for (auto& l : layers)
                if (l.name == n)
                    h->trackWeightRange(l.weight());
        }
    student->eval();
}

} // namespace dfq::quant
