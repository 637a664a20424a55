#include "Commands.h"

#include "runtime/Allocator.h"
#include "runtime/BlasCheck.h"
#include "runtime/Threads.h"

#include <iostream>

namespace dfq::cli {

void prepareRuntime(const CommonOptions& common) {
    runtime::configureAllocator();
    runtime::configureThreads(common.threads);
    const auto blas = runtime::inspectBlas();
    if (!blas.warning.empty())
        std::cerr << "dfq: warning: " << blas.warning << '\n';
}

} // namespace dfq::cli
