#pragma once
#include <string>

namespace dfq::runtime {

/// Which shared library provides BLAS sgemm_ in this process (resolved through libblas.so.3).
struct BlasInfo {
    std::string library;     ///< real path of the providing library, "" if not found
    bool isOpenBlas = false; ///< OpenBLAS (~25x faster GEMM than reference BLAS on this class of machine)
    std::string warning;     ///< non-empty when the user should act (e.g. install libopenblas0-openmp)
};

BlasInfo inspectBlas();

} // namespace dfq::runtime
