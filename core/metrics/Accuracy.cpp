#include "metrics/Accuracy.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace dfq::metrics {

AccuracyMeter::AccuracyMeter(int64_t numClasses)
    : numClasses_(numClasses), classTotal_(numClasses, 0), classCorrect_(numClasses, 0),
      confusion_(numClasses * numClasses, 0) {}

void AccuracyMeter::add(const torch::Tensor& logits, const torch::Tensor& labels) {
    if (logits.dim() != 2 || logits.size(1) != numClasses_)
        throw std::invalid_argument("AccuracyMeter: logits must be [N," + std::to_string(numClasses_) + "]");
    if (labels.numel() != logits.size(0))
        throw std::invalid_argument("AccuracyMeter: labels and logits disagree on N");
    const int64_t k = std::min<int64_t>(5, numClasses_);
    const torch::Tensor topk = std::get<1>(logits.detach().to(torch::kFloat).topk(k, 1)).contiguous();
    const torch::Tensor lab = labels.to(torch::kLong).contiguous();
    const int64_t* t = topk.data_ptr<int64_t>();
    const int64_t* y = lab.data_ptr<int64_t>();
    for (int64_t i = 0; i < lab.numel(); ++i) {
        const int64_t truth = y[i];
        if (truth < 0 || truth >= numClasses_)
            throw std::invalid_argument("AccuracyMeter: label " + std::to_string(truth) + " out of range");
        const int64_t pred = t[i * k];
        ++count_;
        ++classTotal_[truth];
        ++confusion_[truth * numClasses_ + pred];
        if (pred == truth) {
            ++correct1_;
            ++classCorrect_[truth];
        }
        for (int64_t j = 0; j < k; ++j)
            if (t[i * k + j] == truth) {
                ++correct5_;
                break;
            }
    }
}

double AccuracyMeter::top1() const { return count_ ? 100.0 * double(correct1_) / double(count_) : 0.0; }
double AccuracyMeter::top5() const { return count_ ? 100.0 * double(correct5_) / double(count_) : 0.0; }

std::vector<double> AccuracyMeter::perClass() const {
    std::vector<double> out(numClasses_);
    for (int64_t c = 0; c < numClasses_; ++c)
        out[c] = classTotal_[c] ? 100.0 * double(classCorrect_[c]) / double(classTotal_[c])
                                : std::numeric_limits<double>::quiet_NaN();
    return out;
}

std::vector<int64_t> AccuracyMeter::perClassCount() const { return classTotal_; }

} // namespace dfq::metrics
