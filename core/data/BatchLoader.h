#pragma once
#include "data/Dataset.h"

#include <cstdint>
#include <future>
#include <optional>

namespace dfq::data {

/// Deterministic mini-batches over a Dataset: the same seed gives the same order on every machine.
/// shuffle=false visits indices in order. With shuffle=true the order of epoch e is a Fisher-Yates
/// permutation drawn from std::mt19937_64 seeded with splitmix64(splitmix64(seed) + e); the draw is
/// `rng() % (i + 1)` (not std::shuffle / uniform_int_distribution, whose algorithms differ between
/// standard libraries). Every sample is visited once per epoch; the last batch may be smaller.
///
/// While the caller works on a batch, the next one is decoded on a background thread (std::async), so
/// Dataset::get() must be safe to call from another thread (one call at a time). A DataError thrown while
/// decoding surfaces from next(); that batch is skipped, later calls continue with the following one.
class BatchLoader {
public:
    BatchLoader(const Dataset& dataset, int64_t batchSize, bool shuffle, uint64_t seed);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    void reset(uint64_t epoch = 0);          ///< restart; the shuffle order depends on (seed, epoch)
    std::optional<Batch> next();             ///< nullopt at the end of the epoch
    int64_t batchesPerEpoch() const;
    int64_t batchSize() const { return batchSize_; }
    /// The visiting order of the current epoch (indices into the dataset).
    const std::vector<int64_t>& order() const { return order_; }

    /// The order BatchLoader uses for `epoch` over n samples, exposed for tests and reproducibility checks.
    static std::vector<int64_t> shuffledOrder(int64_t n, uint64_t seed, uint64_t epoch);

private:
    void launchNext();  // starts decoding the batch at cursor_ and advances cursor_

    const Dataset& dataset_;
    int64_t batchSize_;
    bool shuffle_;
    uint64_t seed_;
    std::vector<int64_t> order_;
    int64_t cursor_ = 0;
    std::future<Batch> pending_;  // the prefetched batch, invalid when none is in flight
};

} // namespace dfq::data
