#include "runtime/BlasCheck.h"

#include <dlfcn.h>

#include <climits>
#include <cstdlib>

namespace dfq::runtime {

BlasInfo inspectBlas() {
    BlasInfo info;
    void* sym = dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info dl{};
    if (sym && dladdr(sym, &dl) && dl.dli_fname) {
        char real[PATH_MAX];
        info.library = realpath(dl.dli_fname, real) ? real : dl.dli_fname;
    }
    // OpenBLAS exports openblas_get_config; reference BLAS does not.
    info.isOpenBlas = dlsym(RTLD_DEFAULT, "openblas_get_config") != nullptr ||
                      info.library.find("openblas") != std::string::npos;
    if (!info.isOpenBlas)
        info.warning = "BLAS is " + (info.library.empty() ? std::string("unknown") : info.library) +
                       ", not OpenBLAS: matrix products run ~25x slower. Install libopenblas0-openmp "
                       "(scripts/setup.sh does) so that libblas.so.3 resolves to OpenBLAS.";
    return info;
}

} // namespace dfq::runtime
