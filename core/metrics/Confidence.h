#pragma once
#include <torch/types.h>

namespace dfq::metrics {

/// How sure the teacher is on a set of images: synthetic data that the teacher labels with near
/// certainty is "easy" (often over-fitted to the teacher); noise gives flat predictions.
struct TeacherConfidence {
    double meanMaxProbability = 0;   ///< mean over samples of max_k softmax(logits)_k, in [1/K, 1]
    double meanEntropy = 0;          ///< mean over samples of −Σ_k p_k log p_k, nats, in [0, log K]
};

/// logits [N,K] -> the two averages (zeros for N = 0).
TeacherConfidence teacherConfidence(const torch::Tensor& logits);

} // namespace dfq::metrics
