#pragma once
#include <cstdint>
#include <vector>

namespace dfq::data {

/// Indices of the samples kept by DatasetOptions::limit / limitPerClass, in file order:
/// a sample is kept while its class has fewer than `limitPerClass` kept samples (-1: no cap), and
/// selection stops once `limit` samples are kept (-1: no cap). Both -1 keeps everything.
std::vector<int64_t> selectSamples(const std::vector<int64_t>& labels, int64_t limit, int64_t limitPerClass);

} // namespace dfq::data
