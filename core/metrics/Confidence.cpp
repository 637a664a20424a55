#include "metrics/Confidence.h"

#include <torch/torch.h>

namespace dfq::metrics {

TeacherConfidence teacherConfidence(const torch::Tensor& logits) {
    TORCH_CHECK(logits.dim() == 2, "teacherConfidence: logits must be [N,K], got ", logits.sizes());
    TeacherConfidence c;
    if (logits.size(0) == 0)
        return c;
    torch::NoGradGuard ng;
    // log_softmax then exp: stable for large logits, and p·log p is 0 (not NaN) where p underflows.
    const torch::Tensor logp = torch::log_softmax(logits.detach().to(torch::kFloat64), 1);
    const torch::Tensor p = logp.exp();
    c.meanMaxProbability = std::get<0>(p.max(1)).mean().item<double>();
    c.meanEntropy = (-(p * logp).sum(1)).mean().item<double>();
    return c;
}

} // namespace dfq::metrics
