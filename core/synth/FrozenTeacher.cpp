#include "synth/FrozenTeacher.h"

namespace dfq::synth {

FrozenTeacher::FrozenTeacher(models::ZooModelImpl& model, bool channelsLast)
    : model_(model), wasTraining_(model.is_training()) {
    model_.eval();
    for (auto& p : model_.parameters()) {
        requiresGrad_.emplace_back(p, p.requires_grad());
        p.requires_grad_(false);
    }
    if (channelsLast) {
        torch::NoGradGuard ng;
        for (auto& p : model_.parameters())
            if (p.dim() == 4 && !p.is_contiguous(torch::MemoryFormat::ChannelsLast)) {
                p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
                relaidOut_.push_back(p);
            }
    }
}

FrozenTeacher::~FrozenTeacher() {
    torch::NoGradGuard ng;
    for (auto& p : relaidOut_)
        p.set_data(p.contiguous());
    for (auto& [p, rg] : requiresGrad_)
        p.requires_grad_(rg);
    model_.train(wasTraining_);
}

} // namespace dfq::synth
