#include "data/BatchLoader.h"

#include <numeric>
#include <random>
#include <stdexcept>

namespace dfq::data {
namespace {

// Spreads nearby (seed, epoch) values over the whole 64-bit seed space (Steele et al., SplitMix64).
uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace

std::vector<int64_t> BatchLoader::shuffledOrder(int64_t n, uint64_t seed, uint64_t epoch) {
    std::vector<int64_t> order(size_t(std::max<int64_t>(n, 0)));
    std::iota(order.begin(), order.end(), int64_t(0));
    // mt19937_64 output is fixed by the standard; the Fisher-Yates loop below is ours, so the permutation
    // is identical with every standard library. The modulo bias (n / 2^64) is negligible.
    std::mt19937_64 rng(splitmix64(splitmix64(seed) + epoch));
    for (size_t i = order.size(); i > 1; --i) {
        const size_t j = size_t(rng() % uint64_t(i));
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

BatchLoader::BatchLoader(const Dataset& dataset, int64_t batchSize, bool shuffle, uint64_t seed)
    : dataset_(dataset), batchSize_(batchSize), shuffle_(shuffle), seed_(seed) {
    if (batchSize <= 0)
        throw std::invalid_argument("BatchLoader: batch size must be positive, got " + std::to_string(batchSize));
    reset(0);
}

BatchLoader::~BatchLoader() {
    // A batch still decoding refers to dataset_: wait for it (any error it raised is dropped here).
    if (pending_.valid())
        pending_.wait();
}

void BatchLoader::reset(uint64_t epoch) {
    if (pending_.valid()) {
        pending_.wait();
        pending_ = {};
    }
    const int64_t n = dataset_.size();
    if (shuffle_) {
        order_ = shuffledOrder(n, seed_, epoch);
    } else {
        order_.resize(size_t(n));
        std::iota(order_.begin(), order_.end(), int64_t(0));
    }
    cursor_ = 0;
    // Start decoding the first batch right away: it overlaps whatever the caller does before next().
    launchNext();
}

void BatchLoader::launchNext() {
    const int64_t n = int64_t(order_.size());
    if (cursor_ >= n)
        return;
    const int64_t end = std::min(n, cursor_ + batchSize_);
    std::vector<int64_t> indices(order_.begin() + cursor_, order_.begin() + end);
    cursor_ = end;
    const Dataset* ds = &dataset_;
    pending_ = std::async(std::launch::async, [ds, idx = std::move(indices)] { return ds->get(idx); });
}

std::optional<Batch> BatchLoader::next() {
    if (!pending_.valid())
        launchNext();  // after an error, or when called past the end
    if (!pending_.valid())
        return std::nullopt;
    std::future<Batch> current = std::move(pending_);
    Batch batch = current.get();  // rethrows a DataError from the decoding thread
    launchNext();                 // decode the following batch while the caller uses this one
    return batch;
}

int64_t BatchLoader::batchesPerEpoch() const {
    return (dataset_.size() + batchSize_ - 1) / batchSize_;
}

} // namespace dfq::data
