#pragma once
#include "models/ZooModel.h"

#include <vector>

namespace dfq::synth {

/// Scope in which a teacher is used as a fixed function of its input: eval mode (BN uses running
/// statistics, as the BNS losses assume) and requires_grad(false) on every parameter, so backward()
/// computes only the image gradient (no weight gradients, no gradient buffers on the weights).
/// Optionally stores the convolution weights channels-last (NHWC), the layout oneDNN convolves
/// fastest on CPU. Everything is restored on destruction (mode, flags, weight layout).
class FrozenTeacher {
public:
    explicit FrozenTeacher(models::ZooModelImpl& model, bool channelsLast = false);
    ~FrozenTeacher();
    FrozenTeacher(const FrozenTeacher&) = delete;
    FrozenTeacher& operator=(const FrozenTeacher&) = delete;

private:
    models::ZooModelImpl& model_;
    bool wasTraining_;
    std::vector<std::pair<torch::Tensor, bool>> requiresGrad_;
    std::vector<torch::Tensor> relaidOut_;
};

} // namespace dfq::synth
