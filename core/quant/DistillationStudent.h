#pragma once
// The student side of QAT-KD (QatDistiller.h), one update at a time, so that loops which make their
// own batches (the generator-student loop of GDFQ and its family, generative/JointTrainer.h) run the
// same loss, optimiser and range rules as runQatDistillation:
//   SGD (Nesterov momentum, weight decay) on every student parameter, the student in eval mode
//   (frozen BN statistics, affine trained), weight ranges re-tracked every forward (min/max), AdaRound
//   roundings removed, activation ranges as the QuantizedModel holds them.
#include "quant/QatDistiller.h"
#include "quant/QuantizedModel.h"

#include <torch/optim/sgd.h>

#include <memory>
#include <vector>

namespace dfq::quant {

class DistillationStudent {
public:
    /// Prepares qm (calibrated or not: activation quantizers must be frozen before the first step()).
    /// Throws QuantError on bad options.
    DistillationStudent(QuantizedModel& qm, const QatOptions& options);
    /// finish() unless done.
    ~DistillationStudent();
    DistillationStudent(const DistillationStudent&) = delete;
    DistillationStudent& operator=(const DistillationStudent&) = delete;

    torch::optim::SGD& optimizer() { return *opt_; }
    /// Learning rate of update `step` of `steps` under options.schedule (cosine to 0, or ×0.1 at 50 %
    /// and ×0.01 at 75 %), from base lr `lr`.
    static double scheduledLr(const QatOptions& options, double lr, int64_t step, int64_t steps);
    void setLr(double lr);

    /// One update on images x [N,C,H,W] against the teacher's logits t [N,K] (detached here) and
    /// labels y [N] (undefined or -1: argmax t). `where` names the step in the NaN error
    /// ("QAT: loss became NaN/Inf at <where> ..."). Returns the loss before the update.
    double step(const torch::Tensor& x, const torch::Tensor& teacherLogits, const torch::Tensor& labels,
                const std::string& where);

    /// Ends training: the weight ranges the student was trained with (min/max of the final weights)
    /// are set as its frozen ranges, tracking stops, eval mode. Idempotent.
    void finish();

private:
    QuantizedModel& qm_;
    QatOptions o_;
    std::unique_ptr<torch::optim::SGD> opt_;
    bool finished_ = false;
};

} // namespace dfq::quant
