#pragma once
#include <torch/types.h>

#include <vector>

namespace dfq::metrics {

/// Accumulates top-1 / top-5 / per-class accuracy over batches of logits.
class AccuracyMeter {
public:
    explicit AccuracyMeter(int64_t numClasses);
    /// logits [N,K] (any float dtype), labels [N] int64 in [0,K).
    void add(const torch::Tensor& logits, const torch::Tensor& labels);

    int64_t count() const { return count_; }
    double top1() const;                       ///< percent
    double top5() const;                       ///< percent (top-k with k = min(5, K))
    std::vector<double> perClass() const;      ///< percent per true class (NaN where a class had no samples)
    std::vector<int64_t> perClassCount() const;
    /// Confusion counts [K,K]: row = true class, column = predicted.
    const std::vector<int64_t>& confusion() const { return confusion_; }

private:
    int64_t numClasses_;
    int64_t count_ = 0, correct1_ = 0, correct5_ = 0;
    std::vector<int64_t> classTotal_, classCorrect_, confusion_;
};

} // namespace dfq::metrics
