#pragma once
#include <string>

namespace dfq::runtime {

/// Sets LibTorch's intra-op thread count. n <= 0 means all cores (this LibTorch build starts with 1).
/// Returns the count in force afterwards.
int configureThreads(int n);
int hardwareThreads();

} // namespace dfq::runtime
