#pragma once
#include <string>

namespace dfq::runtime {

/// Sets LibTorch's intra-op thread count (and OpenMP's, which OpenBLAS uses). n > 0 is taken as
/// given. n <= 0 means the default: $DFQ_THREADS when it holds a positive integer (CTest sets it per
/// test, so that parallel tests share the cores instead of each taking all of them), otherwise all
/// cores (this LibTorch build starts with 1). Returns the count in force afterwards.
int configureThreads(int n);
int hardwareThreads();
/// $DFQ_THREADS as a positive integer, 0 when unset or not one.
int threadsFromEnvironment();

} // namespace dfq::runtime
