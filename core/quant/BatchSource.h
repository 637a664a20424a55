#pragma once
// Where calibration batches come from: real images, synthetic images from a generator, or plain
// Gaussian noise. A source yields image batches [N, C, H, W] (normalised like the model's training
// data) until it returns std::nullopt.
#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace dfq::quant {

class BatchSource {
public:
    virtual ~BatchSource() = default;
    /// The next batch [N, C, H, W] float, or nullopt when exhausted.
    virtual std::optional<torch::Tensor> next() = 0;
};

/// Wraps a callable (e.g. a lambda over a data loader or a generator).
class FunctionBatchSource : public BatchSource {
public:
    explicit FunctionBatchSource(std::function<std::optional<torch::Tensor>()> f) : f_(std::move(f)) {}
    std::optional<torch::Tensor> next() override { return f_ ? f_() : std::nullopt; }

private:
    std::function<std::optional<torch::Tensor>()> f_;
};

/// Splits one tensor [M, C, H, W] into batches of batchSize along dim 0 (the last may be smaller).
class TensorBatchSource : public BatchSource {
public:
    TensorBatchSource(torch::Tensor images, int64_t batchSize);
    std::optional<torch::Tensor> next() override;

private:
    torch::Tensor images_;
    int64_t batchSize_, pos_ = 0;
};

/// numBatches batches of i.i.d. N(mean, std²) pixels [batchSize, C, H, W], reproducible from seed.
/// The data-free baseline: ranges calibrated on noise (no images at all).
class GaussianNoiseSource : public BatchSource {
public:
    GaussianNoiseSource(std::vector<int64_t> chw, int64_t batchSize, int64_t numBatches, uint64_t seed = 0,
                        double mean = 0.0, double std = 1.0);
    std::optional<torch::Tensor> next() override;

private:
    std::vector<int64_t> chw_;
    int64_t batchSize_, numBatches_, produced_ = 0;
    double mean_, std_;
    torch::Generator gen_;
};

} // namespace dfq::quant
