#include "runtime/LibraryVersions.h"

#include <ATen/Parallel.h>
#include <opencv2/core/version.hpp>
#include <torch/version.h>

namespace dfq::runtime {

LibraryVersions libraryVersions() { return {DFQ_VERSION, TORCH_VERSION, CV_VERSION}; }

int intraOpThreads() { return at::get_num_threads(); }

} // namespace dfq::runtime
