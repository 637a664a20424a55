#pragma once
#include "data/Dataset.h"

#include <cstdint>
#include <optional>

namespace dfq::data {

/// Deterministic mini-batches over a Dataset: the same seed gives the same order on every machine.
/// shuffle=false visits indices in order. Decoding of the next batch may run on a background thread.
class BatchLoader {
public:
    BatchLoader(const Dataset& dataset, int64_t batchSize, bool shuffle, uint64_t seed);
    void reset(uint64_t epoch = 0);          ///< restart; the shuffle order depends on (seed, epoch)
    std::optional<Batch> next();             ///< nullopt at the end of the epoch
    int64_t batchesPerEpoch() const;
    int64_t batchSize() const { return batchSize_; }

private:
    const Dataset& dataset_;
    int64_t batchSize_;
    bool shuffle_;
    uint64_t seed_;
    std::vector<int64_t> order_;
    int64_t cursor_ = 0;
};

} // namespace dfq::data
