#include "quant/BatchSource.h"

#include "quant/QuantError.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace dfq::quant {

TensorBatchSource::TensorBatchSource(torch::Tensor images, int64_t batchSize)
    : images_(std::move(images)), batchSize_(batchSize) {
    if (batchSize_ <= 0)
        throw QuantError("TensorBatchSource: batch size must be positive, got " + std::to_string(batchSize_));
    if (!images_.defined() || images_.dim() < 1)
        throw QuantError("TensorBatchSource: need a tensor [M, C, H, W]");
}

std::optional<torch::Tensor> TensorBatchSource::next() {
    if (pos_ >= images_.size(0))
        return std::nullopt;
    const int64_t end = std::min(pos_ + batchSize_, images_.size(0));
    torch::Tensor b = images_.slice(0, pos_, end);
    pos_ = end;
    return b;
}

GaussianNoiseSource::GaussianNoiseSource(std::vector<int64_t> chw, int64_t batchSize, int64_t numBatches,
                                         uint64_t seed, double mean, double std)
    : chw_(std::move(chw)), batchSize_(batchSize), numBatches_(numBatches), mean_(mean), std_(std),
      gen_(at::make_generator<at::CPUGeneratorImpl>(seed)) {
    if (chw_.size() != 3 || batchSize_ <= 0 || numBatches_ < 0)
        throw QuantError("GaussianNoiseSource: need {C, H, W}, a positive batch size and a batch count >= 0");
}

std::optional<torch::Tensor> GaussianNoiseSource::next() {
    if (produced_ >= numBatches_)
        return std::nullopt;
    ++produced_;
    std::vector<int64_t> shape{batchSize_};
    shape.insert(shape.end(), chw_.begin(), chw_.end());
    return at::normal(mean_, std_, shape, gen_);
}

} // namespace dfq::quant
