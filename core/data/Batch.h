#pragma once
#include <torch/types.h>

namespace dfq::data {

/// One mini-batch: images [N,C,H,W] float32 (already normalised), labels [N] int64 (-1 when unknown).
struct Batch {
    torch::Tensor images;
    torch::Tensor labels;
    int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

} // namespace dfq::data
