#include "synth/FrozenTeacher.h"

#include <torch/torch.h>

namespace dfq::synth {

FrozenTeacher::FrozenTeacher(models::ZooModelImpl& model, const FrozenTeacherOptions& options)
    : model_(model), wasTraining_(model.is_training()) {
    model_.eval();
    for (auto& p : model_.parameters()) {
        requiresGrad_.emplace_back(p, p.requires_grad());
        p.requires_grad_(false);
    }
    models::InferenceLayoutOptions layout;
    layout.channelsLast = options.channelsLast;
    layout.foldBatchNorm = options.foldBatchNorm;
    layout_ = std::make_unique<models::InferenceLayout>(model_, layout);
}

FrozenTeacher::~FrozenTeacher() {
    layout_.reset();   // weights back to their layout, BNs unfolded, before the flags
    torch::NoGradGuard ng;
    for (auto& [p, rg] : requiresGrad_)
        p.requires_grad_(rg);
    model_.train(wasTraining_);
}

} // namespace dfq::synth
